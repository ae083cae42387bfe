using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Access;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Access;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Access;

/// <summary>
/// Two instances of the real app (<see cref="AccessInstance"/>) over the same access tables in Azurite and one manual
/// clock, as two Functions instances behind one front end: what one writes (keys, usage, blocks) the other reads.
/// Plans sized for tests are set through the same settings operators use.
/// </summary>
public sealed class AccessFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    public ManualTimeProvider Clock { get; } = new(Start);

    public AccessInstance A { get; private set; } = null!;

    public AccessInstance B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var azurite = await SharedAzurite.GetAsync();
        var prefix = azurite.UniqueName("acc");
        A = new AccessInstance(azurite, prefix, Clock);
        B = new AccessInstance(azurite, prefix, Clock);
        await A.InitializeAsync();
        await B.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    /// <summary>Creates a key through <c>POST /ops/api-keys</c> on instance A; returns the key and its id.</summary>
    public async Task<(string Key, string Id)> CreateKeyAsync(string plan = "free", string[]? scopes = null, DateTimeOffset? expiresAt = null)
    {
        using var client = A.CreateClient();
        using var response = await client.PostAsJsonAsync("/ops/api-keys", new { name = "test", owner = "tests@example.org", scopes = scopes ?? ["catalogue:read", "mcp"], plan, expiresAt });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["key"]!.GetValue<string>(), body["apiKey"]!["id"]!.GetValue<string>());
    }

    /// <summary>A request to <paramref name="path"/> from <paramref name="address"/> (as the front end's X-Forwarded-For entry) with an optional key.</summary>
    public static async Task<HttpResponseMessage> GetAsync(FunctionsApp instance, string path, string? key, string address, string? authorization = null)
    {
        using var client = instance.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        else if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await client.SendAsync(request);
    }
}

/// <summary>One instance of the real app over a shared table prefix and clock; its key store reads are counted.</summary>
public sealed class AccessInstance(AzuriteFixture azurite, string prefix, ManualTimeProvider clock) : FunctionsApp
{
    /// <summary>A base64 hash key of 32 bytes (tests only; in Azure it is a Key Vault reference).</summary>
    public const string HashKey = "dGVzdHMtb25seS1oYXNoLWtleS0zMi1ieXRlcy0xMjM0NTY3OA==";

    public CountingApiKeyStore KeyReads => (CountingApiKeyStore)Services.GetRequiredService<IApiKeyStore>();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RtgfStorage"] = azurite.ConnectionString,
        ["ApiKeys:HashKey"] = HashKey,
        ["ApiAccess:TablePrefix"] = prefix,
        ["ApiAccess:AnonymousRequestsPerMinute"] = "5",
        ["ApiAccess:Abuse:UnauthorizedPerMinute"] = "8",
        ["ApiPlans:burst:RequestsPerMinute"] = "60",
        ["ApiPlans:burst:Burst"] = "3",
        ["ApiPlans:minute:RequestsPerMinute"] = "5",
        ["ApiPlans:minute:Burst"] = "5",
        ["ApiPlans:quota:RequestsPerMinute"] = "100",
        ["ApiPlans:quota:Burst"] = "100",
        ["ApiPlans:quota:MonthlyQuota"] = "3",
        ["ApiPlans:shared:RequestsPerMinute"] = "6",
        ["ApiPlans:shared:Burst"] = "6",
        ["ApiPlans:crowd:RequestsPerMinute"] = "10",
        ["ApiPlans:crowd:Burst"] = "200",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(clock);
        services.RemoveAll<IApiKeyStore>();
        services.AddSingleton<IApiKeyStore>(sp => new CountingApiKeyStore(new TableApiKeyStore(sp.GetRequiredService<AccessTables>())));
    }
}

/// <summary>The real key store, counting reads: shows which requests reach storage.</summary>
public sealed class CountingApiKeyStore(IApiKeyStore inner) : IApiKeyStore
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public Task<bool> CreateAsync(StoredApiKey key, CancellationToken cancellationToken) => inner.CreateAsync(key, cancellationToken);

    public Task<StoredApiKey?> GetAsync(string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetAsync(id, cancellationToken);
    }

    public Task<ApiKeyPage> ListAsync(int pageSize, string? continuation, CancellationToken cancellationToken) => inner.ListAsync(pageSize, continuation, cancellationToken);

    public Task<StoredApiKey?> UpdateAsync(string id, Func<StoredApiKey, StoredApiKey> change, CancellationToken cancellationToken) => inner.UpdateAsync(id, change, cancellationToken);

    public Task TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken) => inner.TouchAsync(id, usedAt, cancellationToken);

    public Task<StoredApiKey?> ChangePlanAsync(string id, string plan, string actor, DateTimeOffset changedAt, CancellationToken cancellationToken) =>
        inner.ChangePlanAsync(id, plan, actor, changedAt, cancellationToken);
}
