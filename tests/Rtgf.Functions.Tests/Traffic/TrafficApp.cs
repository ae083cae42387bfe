using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Core.Signing;
using Rtgf.Functions.Tests.Support;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Operations;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Traffic;

/// <summary>
/// The real app over Azurite with its own traffic tables (<c>Traffic:TablePrefix</c>) and API key tables. A test starts it,
/// sends requests, and disposes it: the host's shutdown writes out the traffic channel, so the table then holds every record.
/// Without <c>issuer</c> the app has no issuer key (as when none is configured).
/// </summary>
internal sealed class TrafficApp(AzuriteFixture azurite, string prefix, IReadOnlyDictionary<string, string?>? extra = null, TimeProvider? clock = null, ISigner? issuer = null) : FunctionsApp
{
    public const string HashKey = "dGVzdHMtb25seS1oYXNoLWtleS0zMi1ieXRlcy0xMjM0NTY3OA==";

    public TableClient Log => azurite.TableService().GetTableClient(prefix + OperationsStorage.TrafficTable);

    public TableClient Daily => azurite.TableService().GetTableClient(prefix + OperationsStorage.TrafficDailyTable);

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["RtgfStorage"] = azurite.ConnectionString,
                ["ApiKeys:HashKey"] = HashKey,
                ["ApiAccess:TablePrefix"] = prefix,
                ["ApiAccess:AnonymousRequestsPerMinute"] = "100000",
                ["Traffic:TablePrefix"] = prefix,
                ["Audit:TablePrefix"] = prefix,
            };
            foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
            {
                settings[name] = value;
            }

            return settings;
        }
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        if (clock is not null)
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(clock);
        }

        if (issuer is not null)
        {
            services.RemoveAll<IIssuerSigner>();
            services.AddSingleton<IIssuerSigner>(new TestIssuerSigner(issuer));
        }
    }

    /// <summary>Every row of the traffic log.</summary>
    public async Task<List<TableEntity>> LogRowsAsync()
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Log.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }

    public static string Text(object? value) => value switch
    {
        null => string.Empty,
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
