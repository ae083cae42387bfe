using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Access;
using Rtgf.Azure.Audit;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Audit;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Audit;

/// <summary>
/// The audit write after an operator action: a transport failure (not only a refusal) is a 503 audit-failed answer with
/// the action done and the gap logged, and a client that disconnects once the action is done still gets it audited.
/// </summary>
public sealed class AuditWriteTests
{
    [Fact]
    public async Task AnUnreachableAuditStore_AnswersAuditFailed_LogsTheGap_AndTheActionIsDone()
    {
        await using var app = new AuditApp(services =>
        {
            // Nothing listens on port 1: every attempt fails to connect, and the SDK gives up after its retries.
            var unreachable = new TableServiceClient(
                new Uri("http://127.0.0.1:1/devstoreaccount1"),
                new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[32])),
                new TableClientOptions { Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(10) } });
            services.RemoveAll<TableAuditTrail>();
            services.AddSingleton(new TableAuditTrail(() => unreachable));
        });
        await app.InitializeAsync();
        using var client = app.CreateClient();

        using var create = await client.PostAsJsonAsync("/ops/api-keys", new { name = "unaudited", owner = "tests@example.org", scopes = new[] { "mcp" } });
        var problem = await create.ReadObjectAsync();
        var keys = await (await client.GetAsync(new Uri("/ops/api-keys", UriKind.Relative))).ReadObjectAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.Equal("urn:rtgf:problem:audit-failed", problem["type"]!.GetValue<string>());
        Assert.Single(keys["keys"]!.AsArray()); // the key was created all the same
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Audit entry not written for api-key.created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClientThatDisconnectsAfterTheAction_StillGetsItAudited()
    {
        var store = (PausingKeyStore?)null;
        var trail = (SignallingTrail?)null;
        await using var app = new AuditApp(services =>
        {
            services.RemoveAll<IApiKeyStore>();
            services.AddSingleton<IApiKeyStore>(sp => store = new PausingKeyStore(new TableApiKeyStore(sp.GetRequiredService<AccessTables>())));
            services.RemoveAll<IAuditTrail>();
            services.AddSingleton<IAuditTrail>(sp => trail = new SignallingTrail(sp.GetRequiredService<TableAuditTrail>(), AuditActions.ApiKeyRevoked));
        });
        await app.InitializeAsync();
        var (_, id) = await app.CreateKeyAsync();
        using var client = app.CreateClient();
        using var disconnect = new CancellationTokenSource();

        var revoke = client.PostAsJsonAsync($"/ops/api-keys/{id}/revoke", new { reason = "left" }, disconnect.Token);
        await store!.Revoked.Task.WaitAsync(TimeSpan.FromSeconds(30), Eventually.RealTime);
        await disconnect.CancelAsync(); // the client leaves: the host cancels the invocation
        Assert.NotNull(await Record.ExceptionAsync(() => revoke)); // the client gave up (the test server reports it as a failed read)
        await trail!.Appended.Task.WaitAsync(TimeSpan.FromSeconds(30), Eventually.RealTime); // throws if the write failed

        var entry = Assert.Single(await app.ReadAllAsync("&action=" + AuditActions.ApiKeyRevoked));
        Assert.Equal(id, entry["subject"]!.GetValue<string>());
        Assert.True(store.SawCancellation); // the request's token was cancelled before the audit write
    }

    /// <summary>The real key store; a revocation returns only once the request's token is cancelled (the client left).</summary>
    private sealed class PausingKeyStore(IApiKeyStore inner) : IApiKeyStore
    {
        public TaskCompletionSource Revoked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool SawCancellation { get; private set; }

        public Task<bool> CreateAsync(StoredApiKey key, CancellationToken cancellationToken) => inner.CreateAsync(key, cancellationToken);

        public Task<StoredApiKey?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<ApiKeyPage> ListAsync(int pageSize, string? continuation, CancellationToken cancellationToken) => inner.ListAsync(pageSize, continuation, cancellationToken);

        public async Task<StoredApiKey?> UpdateAsync(string id, Func<StoredApiKey, StoredApiKey> change, CancellationToken cancellationToken)
        {
            var updated = await inner.UpdateAsync(id, change, cancellationToken);
            if (updated is { Record.IsRevoked: true })
            {
                Revoked.TrySetResult();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), Eventually.RealTime, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    SawCancellation = true;
                }
            }

            return updated;
        }

        public Task TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken) => inner.TouchAsync(id, usedAt, cancellationToken);

        public Task<StoredApiKey?> ChangePlanAsync(string id, string plan, string actor, DateTimeOffset changedAt, CancellationToken cancellationToken) =>
            inner.ChangePlanAsync(id, plan, actor, changedAt, cancellationToken);
    }

    /// <summary>The real trail; completes <see cref="Appended"/> when an entry of <c>action</c> is written, or fails it with the write's error.</summary>
    private sealed class SignallingTrail(IAuditTrail inner, string action) : IAuditTrail
    {
        public TaskCompletionSource Appended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            try
            {
                await inner.AppendAsync(entry, cancellationToken);
            }
            catch (Exception e) when (entry.Action == action)
            {
                Appended.TrySetException(e);
                throw;
            }

            if (entry.Action == action)
            {
                Appended.TrySetResult();
            }
        }
    }
}
