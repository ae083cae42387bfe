using System.Globalization;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Functions.Access;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Functions.Endpoints;

/// <summary>The body of <c>POST /ops/api-keys</c> (documentation shape).</summary>
internal sealed record CreateApiKeyRequest(string Name, string Owner, IReadOnlyList<string> Scopes, string? Plan, DateTimeOffset? ExpiresAt);

/// <summary>The body of <c>POST /ops/api-keys/{id}/revoke</c> (documentation shape).</summary>
internal sealed record RevokeApiKeyRequest(string Reason);

/// <summary>A key as operators see it: never its secret or hash. <c>status</c> is <c>active</c>, <c>revoked</c> or <c>expired</c>.</summary>
internal sealed record ApiKeyView(
    string Id, string Name, string Owner, IReadOnlyList<string> Scopes, string Plan, string Status,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt, DateTimeOffset? RotatedAt, string? RotatedBy,
    DateTimeOffset? RevokedAt, string? RevokedBy, string? RevokedReason, DateTimeOffset? LastUsedAt);

/// <summary>A new or rotated key: <c>key</c> is shown this once and never again (only its hash is stored).</summary>
internal sealed record IssuedApiKey(string Key, ApiKeyView ApiKey);

/// <summary>A page of keys and the cursor of the next (absent at the end).</summary>
internal sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Keys, string? NextCursor);

/// <summary>
/// <c>/ops/api-keys</c>: create, list, read, rotate and revoke the public API's keys (docs/spec/api-keys.md). The actor of
/// each change is <see cref="OperatorActor"/>'s. A rotation replaces the secret at once: the old one is refused as soon as
/// each instance's key cache (a few seconds) has expired.
/// </summary>
internal static class ApiKeyEndpoints
{
    public const int MaxBodyBytes = 8 * 1024;
    public const int MaxNameLength = 100;
    public const int MaxOwnerLength = 200;
    public const int MaxReasonLength = 500;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    private const int MaxIdAttempts = 4;

    public static async Task<Results<Created<IssuedApiKey>, ProblemHttpResult>> CreateAsync(
        HttpRequest request, IApiKeyStore keys, ApiKeyHashing hashing, ApiPlans plans, TimeProvider time, IConfiguration settings, OperatorAudit audit,
        CancellationToken cancellationToken)
    {
        if (hashing.Hasher is not { } hasher)
        {
            return ApiProblem.AccessNotConfigured(hashing.Problem);
        }

        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var now = time.GetUtcNow();
            if (!TryReadCreate(document!.RootElement, plans, now, out var body, out var error))
            {
                return ApiProblem.InvalidJson(error);
            }

            for (var attempt = 0; attempt < MaxIdAttempts; attempt++)
            {
                var id = ApiKeySecret.NewId();
                var secret = ApiKeySecret.NewSecret();
                var record = new ApiKeyRecord(id, body.Name, body.Owner, body.Scopes, body.Plan!, now, OperatorActor.From(request, settings), body.ExpiresAt);
                if (await keys.CreateAsync(new StoredApiKey(record, hasher.Hash(secret)), cancellationToken).ConfigureAwait(false))
                {
                    // Audit id: the new key's id (drawn at random, so a repeated request is a second key and a second entry).
                    var entry = new AuditEntry(AuditActions.ApiKeyCreated + ":" + id, now, record.CreatedBy, AuditActions.ApiKeyCreated, id, new Dictionary<string, string>
                    {
                        ["name"] = record.Name, ["owner"] = record.Owner, ["plan"] = record.Plan, ["scopes"] = string.Join(' ', record.Scopes),
                    });
                    if (await audit.RecordAsync(entry, $"The API key {id} was created; its secret is not shown again (rotate the key for a new one).", retry: false).ConfigureAwait(false) is { } unaudited)
                    {
                        return unaudited;
                    }

                    return TypedResults.Created("/ops/api-keys/" + id, new IssuedApiKey(ApiKeySecret.Format(id, secret), View(record, now)));
                }
            }

            throw new InvalidOperationException("No free API key id after several random draws.");
        }
    }

    public static async Task<Results<Ok<ApiKeyList>, ProblemHttpResult>> ListAsync(
        HttpRequest request, IApiKeyStore keys, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PageRequest.TryRead(request, DefaultPageSize, MaxPageSize, out var requested, out var invalid))
        {
            return invalid;
        }

        var pageSize = requested.Limit;
        var continuation = requested.Continuation;

        ApiKeyPage page;
        try
        {
            page = await keys.ListAsync(pageSize, continuation, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status400BadRequest)
        {
            return ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out.");
        }

        var now = time.GetUtcNow();
        return TypedResults.Ok(new ApiKeyList([.. page.Keys.Select(k => View(k, now))], page.Next is { } next ? ContinuationCursor.Encode(next) : null));
    }

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> GetAsync(
        string id, IApiKeyStore keys, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.IsId(id))
        {
            return ApiProblem.InvalidRequest("An API key id is 16 characters of a-z and 2-7.");
        }

        return await keys.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } stored
            ? TypedResults.Ok(View(stored.Record, time.GetUtcNow()))
            : ApiProblem.NotFound($"No API key has the id {id}.");
    }

    public static async Task<Results<Ok<IssuedApiKey>, ProblemHttpResult>> RotateAsync(
        HttpRequest request, string id, IApiKeyStore keys, ApiKeyHashing hashing, ApiAccessGate gate, TimeProvider time, IConfiguration settings, OperatorAudit audit,
        CancellationToken cancellationToken)
    {
        if (hashing.Hasher is not { } hasher)
        {
            return ApiProblem.AccessNotConfigured(hashing.Problem);
        }

        if (!ApiKeySecret.IsId(id))
        {
            return ApiProblem.InvalidRequest("An API key id is 16 characters of a-z and 2-7.");
        }

        var now = time.GetUtcNow();
        var actor = OperatorActor.From(request, settings);
        var secret = ApiKeySecret.NewSecret();
        var revoked = false;
        var expired = false;
        var updated = await keys.UpdateAsync(id, stored =>
        {
            revoked = stored.Record.IsRevoked;
            expired = stored.Record.IsExpired(now);
            return revoked || expired ? stored : new StoredApiKey(stored.Record with { RotatedAt = now, RotatedBy = actor }, hasher.Hash(secret));
        }, cancellationToken).ConfigureAwait(false);
        gate.Forget(id);

        if (updated is not null && !revoked && !expired)
        {
            // Audit id: the key and the rotation's instant (each rotation is its own change; a repeated request rotates again).
            var entry = new AuditEntry(
                string.Create(CultureInfo.InvariantCulture, $"{AuditActions.ApiKeyChanged}:{id}:{now.UtcTicks}"), now, actor, AuditActions.ApiKeyChanged, id,
                new Dictionary<string, string> { ["change"] = "rotated" });
            if (await audit.RecordAsync(entry, $"The API key {id} was rotated; the new secret is not shown (rotate it again for one).", retry: false).ConfigureAwait(false) is { } unaudited)
            {
                return unaudited;
            }
        }

        return updated switch
        {
            null => ApiProblem.NotFound($"No API key has the id {id}."),
            _ when revoked => ApiProblem.KeyRevoked($"The API key {id} is revoked; create a new one instead."),
            _ when expired => ApiProblem.KeyExpired(
                $"The API key {id} expired at {updated.Record.ExpiresAt!.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}; create a new one instead."),
            _ => TypedResults.Ok(new IssuedApiKey(ApiKeySecret.Format(id, secret), View(updated.Record, now))),
        };
    }

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> RevokeAsync(
        HttpRequest request, string id, IApiKeyStore keys, ApiAccessGate gate, TimeProvider time, IConfiguration settings, OperatorAudit audit,
        CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.IsId(id))
        {
            return ApiProblem.InvalidRequest("An API key id is 16 characters of a-z and 2-7.");
        }

        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            if (!JsonBody.TryGetOptionalString(document!.RootElement, "reason", out var reason, out _) || string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
            {
                return ApiProblem.InvalidJson($"The body needs 'reason': a non-empty string of at most {MaxReasonLength} characters.");
            }

            var now = time.GetUtcNow();
            var actor = OperatorActor.From(request, settings);

            // Revoking twice keeps the first revocation (a retried request changes nothing).
            var updated = await keys.UpdateAsync(id, stored => stored.Record.IsRevoked
                ? stored
                : stored with { Record = stored.Record with { RevokedAt = now, RevokedBy = actor, RevokedReason = reason.Trim() } }, cancellationToken).ConfigureAwait(false);
            gate.Forget(id);
            if (updated is null)
            {
                return ApiProblem.NotFound($"No API key has the id {id}.");
            }

            // Audit id: the key (it is revoked once; a repeated request returns the first revocation and records the same entry).
            var revokedRecord = updated.Record;
            var entry = new AuditEntry(
                AuditActions.ApiKeyRevoked + ":" + id, revokedRecord.RevokedAt ?? now, revokedRecord.RevokedBy ?? actor, AuditActions.ApiKeyRevoked, id,
                new Dictionary<string, string> { ["reason"] = revokedRecord.RevokedReason ?? string.Empty });
            if (await audit.RecordAsync(entry, $"The API key {id} was revoked.", retry: true).ConfigureAwait(false) is { } unaudited)
            {
                return unaudited;
            }

            return TypedResults.Ok(View(revokedRecord, now));
        }
    }

    internal static ApiKeyView View(ApiKeyRecord r, DateTimeOffset now) => new(
        r.Id, r.Name, r.Owner, r.Scopes, r.Plan, r.IsRevoked ? "revoked" : r.IsExpired(now) ? "expired" : "active",
        r.CreatedAt, r.CreatedBy, r.ExpiresAt, r.RotatedAt, r.RotatedBy, r.RevokedAt, r.RevokedBy, r.RevokedReason, r.LastUsedAt);

    private sealed record CreateBody(string Name, string Owner, IReadOnlyList<string> Scopes, string? Plan, DateTimeOffset? ExpiresAt);

    private static bool TryReadCreate(JsonElement body, ApiPlans plans, DateTimeOffset now, out CreateBody read, out string error)
    {
        read = null!;
        if (!TryText(body, "name", MaxNameLength, out var name, out error) || !TryText(body, "owner", MaxOwnerLength, out var owner, out error))
        {
            return false;
        }

        if (!body.TryGetProperty("scopes", out var scopesMember) || scopesMember.ValueKind != JsonValueKind.Array || scopesMember.GetArrayLength() is 0 or > 8)
        {
            error = $"The body needs 'scopes': a non-empty array of {string.Join(", ", ApiScopes.All.Select(s => "'" + s + "'"))}.";
            return false;
        }

        var scopes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var scope in scopesMember.EnumerateArray())
        {
            if (scope.ValueKind != JsonValueKind.String || scope.GetString() is not { } text || !ApiScopes.All.Contains(text, StringComparer.Ordinal))
            {
                error = $"Each scope must be one of {string.Join(", ", ApiScopes.All.Select(s => "'" + s + "'"))}.";
                return false;
            }

            scopes.Add(text);
        }

        if (!JsonBody.TryGetOptionalString(body, "plan", out var plan, out error))
        {
            return false;
        }

        plan ??= ApiPlans.Free;
        if (!plans.TryGet(plan, out _))
        {
            error = $"'plan' must be one of {string.Join(", ", plans.All.Select(p => "'" + p.Name + "'"))}.";
            return false;
        }

        DateTimeOffset? expiresAt = null;
        if (!JsonBody.TryGetOptionalString(body, "expiresAt", out var expiresText, out error))
        {
            return false;
        }

        if (expiresText is not null)
        {
            if (!DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires)
                || !expiresText.Contains('T', StringComparison.Ordinal) || expires <= now)
            {
                error = "'expiresAt' must be an RFC 3339 date-time in the future.";
                return false;
            }

            expiresAt = expires;
        }

        read = new CreateBody(name, owner, [.. scopes], plan, expiresAt);
        return true;
    }

    private static bool TryText(JsonElement body, string member, int maxLength, out string text, out string error)
    {
        text = string.Empty;
        if (!JsonBody.TryGetOptionalString(body, member, out var value, out error) || string.IsNullOrWhiteSpace(value) || value.Length > maxLength
            || value.Any(char.IsControl))
        {
            error = $"The body needs '{member}': a non-empty string of at most {maxLength} characters without control characters.";
            return false;
        }

        text = value.Trim();
        return true;
    }

}
