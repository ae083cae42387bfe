using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Functions.Tests.Access;
using Rtgf.Functions.Tests.Support;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Audit;

/// <summary>
/// The real app over its own access and audit tables in Azurite and a manual clock: API key actions and <c>/ops/audit</c>.
/// <c>configure</c> replaces services after the app's own (a failing or decorated store).
/// </summary>
public sealed class AuditApp : FunctionsApp
{
    private readonly Action<IServiceCollection>? _configure;

    /// <summary>The app as composed (xunit builds the class fixture with this one).</summary>
    public AuditApp()
    {
    }

    internal AuditApp(Action<IServiceCollection> configure) => _configure = configure;

    public static readonly DateTimeOffset Start = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    public ManualTimeProvider Clock { get; } = new(Start);

    public AzuriteFixture Azurite { get; private set; } = null!;

    public string Prefix { get; private set; } = "";

    public string AuditTableName => Prefix + Rtgf.Pipeline.Operations.OperationsStorage.AuditTable;

    public override async Task InitializeAsync()
    {
        Azurite = await SharedAzurite.GetAsync();
        Prefix = Azurite.UniqueName("aud");
        await StartAsync();
    }

    /// <summary>Creates a key through <c>POST /ops/api-keys</c>; returns the key and its id.</summary>
    public async Task<(string Key, string Id)> CreateKeyAsync()
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/ops/api-keys", new { name = "audited", owner = "tests@example.org", scopes = new[] { "catalogue:read" } });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["key"]!.GetValue<string>(), body["apiKey"]!["id"]!.GetValue<string>());
    }

    /// <summary>Every entry <c>GET /ops/audit</c> lists for <paramref name="query"/>, page by page (newest first).</summary>
    public async Task<List<JsonObject>> ReadAllAsync(string query = "", int limit = 50)
    {
        using var client = CreateClient();
        var entries = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var url = $"/ops/audit?limit={limit}" + query + (cursor is null ? "" : "&cursor=" + cursor);
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            response.EnsureSuccessStatusCode();
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            entries.AddRange(page["entries"]!.AsArray().Select(e => e!.AsObject()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return entries;
    }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RtgfStorage"] = Azurite.ConnectionString,
        ["ApiKeys:HashKey"] = AccessInstance.HashKey,
        ["ApiAccess:TablePrefix"] = Prefix,
        ["Audit:TablePrefix"] = Prefix,
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Clock);
        _configure?.Invoke(services);
    }
}
