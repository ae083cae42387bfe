using Azure;
using Azure.Data.Tables;
using Rtgf.Azure.Tables;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Azure.Waitlist;

/// <summary>A page of leads (table order: by lead id) and the storage continuation of the next, if any.</summary>
public sealed record LeadPage(IReadOnlyList<Lead> Leads, string? Next);

/// <summary>
/// The waitlist's leads in table <c>leads</c> (created on first use, with the access tables' prefix): PartitionKey = the
/// lead id (an HMAC of the normalised address), RowKey <c>lead</c>. A lead is added by conditional insert (once per
/// address, however many sign-ups race) and changed only by compare-and-swap on its ETag. The admin surface reads it.
/// </summary>
public sealed class TableLeadStore(Func<TableServiceClient> service, string prefix = "")
{
    public const string TableName = "leads";
    private const string Row = "lead";

    // PublicationOnly: a failure (no storage configured yet) is not cached; the next use tries again.
    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(service(), prefix + TableName), LazyThreadSafetyMode.PublicationOnly);

    public async Task<(Lead Lead, ETag ETag)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return await table.GetRowAsync(id, Row, cancellationToken).ConfigureAwait(false) is { } entity ? (FromEntity(entity), entity.ETag) : null;
    }

    /// <summary>Adds the lead unless its address has one already (false then: the caller reads the stored one).</summary>
    public async Task<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(lead), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the lead read with <paramref name="etag"/>; false when it changed since (the caller reads it again and decides again).</summary>
    public async Task<bool> TryReplaceAsync(Lead lead, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(ToEntity(lead), etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConditionLost())
        {
            return false;
        }
    }

    /// <summary>One page of leads after <paramref name="continuation"/> (a storage continuation token this store gave out).</summary>
    public async Task<LeadPage> ListAsync(int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var page in table.QueryAsync<TableEntity>($"RowKey eq '{Row}'", maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuation, pageSize).ConfigureAwait(false))
        {
            return new LeadPage([.. page.Values.Select(FromEntity)], string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new LeadPage([], null);
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.Value.GetAsync(cancellationToken);

    private static TableEntity ToEntity(Lead l)
    {
        var entity = new TableEntity(l.Id, Row)
        {
            ["Email"] = l.Email,
            ["Organisation"] = l.Organisation,
            ["RtoCode"] = l.RtoCode,
            ["CreatedAt"] = l.CreatedAt,
            ["UpdatedAt"] = l.UpdatedAt,
            ["LinkId"] = l.LinkId,
            ["LinkExpiresAt"] = l.LinkExpiresAt,
            ["LinksSent"] = l.LinksSent,
            ["ConfirmedAt"] = l.ConfirmedAt,
            ["UnsubscribedAt"] = l.UnsubscribedAt,
            ["Status"] = l.Status.ToString().ToLowerInvariant(),
            ["Signups"] = l.Signups is { Count: > 0 } signups ? string.Join(' ', signups) : null,
        };
        foreach (var empty in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(empty);
        }

        return TableLimits.Checked(entity);
    }

    private static Lead FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("Email") ?? string.Empty,
        e.GetString("Organisation"),
        e.GetString("RtoCode"),
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("LinkId"),
        e.GetDateTimeOffset("LinkExpiresAt"),
        e.GetInt32("LinksSent") ?? 0,
        e.GetDateTimeOffset("ConfirmedAt"),
        e.GetDateTimeOffset("UnsubscribedAt"),
        e.GetString("Signups") is { Length: > 0 } signups ? signups.Split(' ') : null);
}
