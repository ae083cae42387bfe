using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Http;
using Rtgf.Functions.Log;
using Rtgf.Pipeline.Audit;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Revocation;
using Rtgf.Pipeline.Watchtower;
using Rtgf.Transparency.Audit;

namespace Rtgf.Functions.Endpoints;

/// <summary>One binding of a function, with its app-setting references resolved against this deployment's settings.</summary>
public sealed record FunctionBindingView(string Name, string Type, string? Value, string? ResolvedValue);

/// <summary>A function as deployed: trigger, outputs, and any setting it references that is missing.</summary>
public sealed record FunctionView(string Name, FunctionBindingView Trigger, IReadOnlyList<FunctionBindingView> Outputs, IReadOnlyList<string> MissingSettings);

/// <summary><c>GET /ops/sync-status</c>: every source's sync state and the publication freeze.</summary>
internal sealed record SyncStatusDocument(DateTimeOffset Now, IReadOnlyList<SourceSyncStatus> Sources, FreezeState Freeze);

/// <summary>
/// <c>GET /ops/log/audit</c>: the whole-log audit (docs/runbooks/log-recovery.md). <see cref="Size"/> and <see cref="RootHash"/>
/// are the signed checkpoint's (size 0 and no root when the log has none); <see cref="TilesRootHash"/> is what the stored tiles give.
/// </summary>
internal sealed record LogAuditDocument(
    bool Clean, string? Origin, long Size, string? RootHash, string? TilesRootHash, long EntriesChecked, long TilesChecked,
    long StoredPartialsChecked, long FindingCount, bool Truncated, IReadOnlyList<LogAuditFinding> Findings);

/// <summary>The body of <c>POST /ops/revocations</c> (documentation shape).</summary>
internal sealed record ManualRevocationRequest(string TokenId, string Reason);

/// <summary>The body of <c>POST /ops/freeze/clear</c> (documentation shape).</summary>
internal sealed record ClearFreezeRequest(string Reason);

/// <summary>
/// The operator surface (<c>/ops</c>, admin key). <c>/admin</c> and <c>/runtime</c> are reserved by the
/// Functions host, so the area lives under <c>/ops</c>.
/// </summary>
internal static class OperationsEndpoints
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxReasonLength = 1000;

    /// <summary>The kind of revocation an operator makes (Publisher.RevokeAsync); other kinds are the pipeline's own.</summary>
    private const string ManualRevocationKind = "manual";

    internal static Ok<IReadOnlyList<FunctionView>> GetFunctions(FunctionIndex index, IConfiguration configuration)
    {
        IReadOnlyList<FunctionView> views = [.. index.Functions.Select(f => new FunctionView(
            f.Name,
            View(f.TriggerBinding, f.TriggerType, f.TriggerValue, configuration),
            [.. f.Outputs.Select(o => View(o.Name, o.Type, o.QueueName, configuration))],
            [.. f.ReferencedSettings.Where(s => string.IsNullOrEmpty(configuration[s]))]))];
        return TypedResults.Ok(views);
    }

    internal static async Task<Ok<SyncStatusDocument>> GetSyncStatusAsync(
        TimeProvider time, [FromServices] ISyncStatusReader sync, [FromServices] IPublicationFreeze freeze, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sources = await sync.GetAsync(now, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SyncStatusDocument(now, sources, await freeze.GetAsync(cancellationToken).ConfigureAwait(false)));
    }

    internal static async Task<Ok<FreezeState>> GetFreezeAsync([FromServices] IPublicationFreeze freeze, CancellationToken cancellationToken) =>
        TypedResults.Ok(await freeze.GetAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Always 200: findings are the answer, not an error (a broken log is what the route is for).</summary>
    internal static async Task<Ok<LogAuditDocument>> AuditLogAsync([FromServices] TransparencyLog log, CancellationToken cancellationToken)
    {
        var report = await log.AuditAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new LogAuditDocument(
            report.IsClean, report.Origin, report.Size ?? 0, report.RootHash, report.TilesRootHash, report.EntriesChecked, report.TilesChecked,
            report.StoredPartialsChecked, report.FindingCount, report.IsTruncated, report.Findings));
    }

    internal static async Task<Results<Ok<FreezeState>, ProblemHttpResult>> ClearFreezeAsync(
        HttpRequest request, [FromServices] IPublicationFreeze freeze, IConfiguration settings, OperatorAudit audit, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            if (!TryReadReason(document!.RootElement, out var reason, out var error))
            {
                return ApiProblem.InvalidJson(error);
            }

            if (!(await freeze.GetAsync(cancellationToken).ConfigureAwait(false)).IsFrozen)
            {
                return ApiProblem.NotFrozen("Publication is not frozen; there is nothing to clear.");
            }

            var cleared = await freeze.ClearAsync(reason, OperatorActor.From(request, settings), cancellationToken).ConfigureAwait(false);

            // Audit id: the freeze cleared (its FrozenAt, which the cleared state keeps): one freeze is cleared once. The
            // clearing is in the transparency log too.
            var entry = new AuditEntry(
                string.Create(CultureInfo.InvariantCulture, $"{AuditActions.FreezeCleared}:{cleared.FrozenAt?.UtcTicks ?? 0}"), cleared.ClearedAt ?? cleared.FrozenAt ?? DateTimeOffset.UnixEpoch,
                cleared.ClearedBy ?? OperatorActor.From(request, settings), AuditActions.FreezeCleared, cleared.BuildId ?? "publication",
                new Dictionary<string, string> { ["reason"] = cleared.ClearReason ?? reason, ["frozenReason"] = cleared.Reason ?? string.Empty });
            if (await audit.RecordAsync(entry, "The publication freeze was cleared.", retry: false).ConfigureAwait(false) is { } unaudited)
            {
                return unaudited;
            }

            return TypedResults.Ok(cleared);
        }
    }

    internal static async Task<Results<Ok<RevocationRecord>, ProblemHttpResult>> RevokeAsync(
        HttpRequest request, [FromServices] IRevocationService revocations, IConfiguration settings, OperatorAudit audit, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var body = document!.RootElement;
            if (!JsonBody.TryGetOptionalString(body, "tokenId", out var tokenId, out var error) || !QueryValues.IsTokenId(tokenId))
            {
                return ApiProblem.InvalidJson("The body needs 'tokenId': 64 lowercase hex digits.");
            }

            if (!TryReadReason(body, out var reason, out error))
            {
                return ApiProblem.InvalidJson(error);
            }

            try
            {
                var actor = OperatorActor.From(request, settings);
                var revoked = await revocations.RevokeAsync(tokenId!, reason, actor, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(revoked.Kind, ManualRevocationKind, StringComparison.Ordinal))
                {
                    // Revoked before by the pipeline (superseded, withdrawn): the answer is that revocation, and no operator
                    // revoked anything, so there is nothing to audit.
                    return TypedResults.Ok(revoked);
                }

                // Audit id: the token (it is revoked once; a repeated request returns the first revocation and records the same entry).
                var entry = new AuditEntry(
                    AuditActions.RevocationManual + ":" + tokenId, revoked.RevokedAt, actor, AuditActions.RevocationManual, tokenId!,
                    new Dictionary<string, string>
                    {
                        ["reason"] = revoked.Reason, ["family"] = revoked.Family, ["epoch"] = revoked.Epoch.ToString(CultureInfo.InvariantCulture),
                        ["logIndex"] = revoked.LogIndex.ToString(CultureInfo.InvariantCulture),
                    });
                if (await audit.RecordAsync(entry, $"The token {tokenId} was revoked.", retry: true).ConfigureAwait(false) is { } unaudited)
                {
                    return unaudited;
                }

                return TypedResults.Ok(revoked);
            }
            catch (KeyNotFoundException)
            {
                return ApiProblem.NotFound($"No token has id '{tokenId}'.");
            }
            catch (PublicationFrozenException ex)
            {
                return ApiProblem.PublicationFrozen(ex.Message);
            }
            catch (PublicationWaitException ex)
            {
                return ApiProblem.NotReady(ex.Message + " Retry later."); // a publication is in progress: not an error, not now
            }
        }
    }

    private static bool TryReadReason(JsonElement body, out string reason, out string error)
    {
        reason = string.Empty;
        if (!JsonBody.TryGetOptionalString(body, "reason", out var text, out error) || string.IsNullOrWhiteSpace(text) || text.Length > MaxReasonLength)
        {
            error = $"The body needs 'reason': a non-empty string of at most {MaxReasonLength} characters.";
            return false;
        }

        reason = text.Trim();
        return true;
    }

    private static FunctionBindingView View(string name, string type, string? value, IConfiguration configuration)
    {
        var resolved = value;
        foreach (var setting in value is null ? [] : FunctionIndex.SettingReferences(value))
        {
            resolved = configuration[setting] is { Length: > 0 } v ? resolved!.Replace($"%{setting}%", v, StringComparison.Ordinal) : null;
            if (resolved is null)
            {
                break;
            }
        }

        return new FunctionBindingView(name, type, value, resolved);
    }
}
