using Rtgf.Register.Search;

namespace Rtgf.Register.Tests.National;

/// <summary>
/// The register at national scale agrees with a straightforward LINQ over the simulator's records: every RTO filter, the
/// providers of a component in a state, paging to the end, and exact-code search.
/// </summary>
public sealed class NationalRegisterTests(NationalRegister national) : IClassFixture<NationalRegister>
{
    private const int PageSize = 500;
    private static readonly string[] States = ["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"];

    private RegisterView View => national.View;

    private IEnumerable<UpstreamSimulator.World.Rto> LiveRtos => national.World.Rtos.Where(r => r.Deleted is null).OrderBy(r => r.Code, StringComparer.Ordinal);

    /// <summary>Components at even strides over the live ones (the same for the same seed).</summary>
    private List<string> SampleComponents(int count)
    {
        var live = national.World.Components.Where(c => c.Deleted is null).Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
        return [.. Enumerable.Range(0, count).Select(i => live[(int)((long)i * live.Count / count)])];
    }

    private HashSet<string> ProvidersOf(string component) =>
        [.. LiveRtos.Where(r => national.World.ScopeOf(r).ToArray().Any(row => national.World.Components[row.Component].Code == component && national.IsCurrent(row))).Select(r => r.Code)];

    [Fact]
    public void TheRegister_HasTheWorldsScale()
    {
        Assert.Equal(LiveRtos.Count(), View.Rtos.Count);
        Assert.Equal(national.World.Components.Count(c => c.Deleted is null), View.Components.Count);
        Assert.True(View.Rtos.Count >= 3_500, $"{View.Rtos.Count} RTOs");
        Assert.True(View.Stats.Rtos.ScopeRows >= 400_000, $"{View.Stats.Rtos.ScopeRows} scope rows");
        Assert.Equal(LiveRtos.Sum(r => r.ScopeCount), View.Stats.Rtos.ScopeRows);
    }

    [Fact]
    public void EveryStatusStateAndManagerFilter_AgreesWithLinq()
    {
        var statuses = LiveRtos.Select(NationalRegister.Status).Distinct().Order(StringComparer.Ordinal).ToList();
        var managers = LiveRtos.Select(r => r.RegistrationManager).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Contains("Non-current", statuses);
        Assert.True(managers.Count > 1);

        foreach (var status in statuses.Append(null))
        {
            foreach (var state in States.Append(null))
            {
                foreach (var manager in managers.Append(null))
                {
                    var expected = LiveRtos
                        .Where(r => (status is null || NationalRegister.Status(r) == status) && (state is null || r.Address.State == state) && (manager is null || r.RegistrationManager == manager))
                        .Select(r => r.Code);
                    // Filters ignore case: ask in lower case.
                    Assert.Equal(expected, View.FindRtos(status?.ToLowerInvariant(), state?.ToLowerInvariant(), manager?.ToLowerInvariant()).Select(r => r.Code));
                }
            }
        }
    }

    [Fact]
    public void ComponentFilters_AndProvidersInAState_AgreeWithLinq()
    {
        foreach (var component in SampleComponents(40))
        {
            var providers = ProvidersOf(component);
            var expected = LiveRtos.Where(r => providers.Contains(r.Code)).Select(r => r.Code).ToList();
            Assert.Equal(expected, View.FindRtos(component: component.ToLowerInvariant()).Select(r => r.Code));
            Assert.Equal(expected, View.FindProviders(component).Select(p => p.Rto.Code));
            Assert.Equal(
                LiveRtos.Where(r => providers.Contains(r.Code) && NationalRegister.Status(r) == "Current").Select(r => r.Code),
                View.FindRtos(status: "Current", component: component).Select(r => r.Code));
            foreach (var state in States)
            {
                Assert.Equal(
                    LiveRtos.Where(r => providers.Contains(r.Code) && r.Address.State == state).Select(r => r.Code),
                    View.FindProviders(component, state).Select(p => p.Rto.Code));
            }
        }
    }

    [Fact]
    public void PagingToTheEnd_OverRtosComponentsTheBiggestScopeAndProviders_GivesEveryRowOnceInOrder()
    {
        Assert.Equal(LiveRtos.Select(r => r.Code), PageAll(View.RtoSummaries).Select(r => r.Code));

        var biggest = LiveRtos.MaxBy(r => r.ScopeCount)!;
        Assert.True(biggest.ScopeCount > 150, $"the biggest scope has {biggest.ScopeCount} rows");
        var expected = national.World.ScopeOf(biggest).ToArray()
            .Select(row => (Code: national.World.Components[row.Component].Code, Start: row.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.Start, StringComparer.Ordinal)
            .ToList();
        // National scopes run to a couple of hundred rows: one page of 500, and many of 50.
        Assert.Equal(expected, PageAll(View.FindScope(biggest.Code)!).Select(r => (r.ComponentCode, r.StartDate!)));
        Assert.Equal(expected, PageAll(View.FindScope(biggest.Code)!, 50).Select(r => (r.ComponentCode, r.StartDate!)));

        var current = national.World.ScopeOf(biggest).ToArray().Count(national.IsCurrent);
        Assert.Equal(current, PageAll(View.FindScope(biggest.Code, current: true)!, 50).Count);

        // The longest list under one component (its providers: a few dozen, pages of 10), and every component (pages of 500).
        var popular = View.Components.MaxBy(c => View.GetProviders(c.Code).Count)!.Code;
        var providers = ProvidersOf(popular);
        Assert.True(providers.Count > 20, $"{popular} has {providers.Count} providers");
        Assert.Equal(LiveRtos.Where(r => providers.Contains(r.Code)).Select(r => r.Code), PageAll(View.FindProviders(popular), 10).Select(p => p.Rto.Code));
        Assert.Equal(
            national.World.Components.Where(c => c.Deleted is null).Select(c => c.Code).Order(StringComparer.Ordinal),
            PageAll(View.FindComponents()).Select(c => c.Code));
    }

    [Fact]
    public async Task ExactCodes_AreTheFirstHit()
    {
        var rtos = LiveRtos.Select(r => r.Code).ToList();
        var codes = SampleComponents(60).Concat(Enumerable.Range(0, 40).Select(i => rtos[i * rtos.Count / 40])).ToList();
        foreach (var code in codes)
        {
            var results = await View.Search.SearchAsync(new SearchQuery(code.ToLowerInvariant()), 0, 5);
            Assert.True(results.Hits.Count > 0, $"no hit for {code}");
            Assert.Equal(code, results.Hits[0].Code);
        }
    }

    /// <summary>Follows the next-page cursor as <c>/v1</c> does until there is none; each page's position must continue the last.</summary>
    private List<T> PageAll<T>(IReadOnlyList<T> items, int pageSize = PageSize)
    {
        var all = new List<T>();
        var offset = 0;
        while (true)
        {
            var page = View.Page(items, offset, pageSize, "0123456789abcdef");
            Assert.Equal(items.Count, page.Total);
            Assert.True(page.Items.Count <= pageSize);
            all.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                return all;
            }

            Assert.True(RegisterCursor.TryParse(page.NextCursor, out var cursor, out var error), error);
            Assert.Equal(View.BuildHex, cursor!.BuildHex);
            Assert.Equal(all.Count, cursor.Position);
            offset = cursor.Position;
        }
    }
}
