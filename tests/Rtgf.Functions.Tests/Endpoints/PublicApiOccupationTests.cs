using System.Globalization;
using System.Net;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

[CollectionDefinition(Name)]
public sealed class LabourMarketWorld : ICollectionFixture<LabourMarketWorldFixture>
{
    public const string Name = "public-api labour-market world";
}

/// <summary>
/// /v1 occupations, vacancies, labour series and the qualification ↔ occupation links over a build that read the
/// <c>osl</c>, <c>ivi</c> and <c>abs</c> snapshots and TGA components with ANZSCO classifications.
/// </summary>
[Collection(LabourMarketWorld.Name)]
public sealed class PublicApiOccupationTests(LabourMarketWorldFixture world)
{
    private static readonly string[] StateCodes = ["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"];

    private static IEnumerable<(string Code, string Title, int Skill, string National, string[] States)> Anzsco => LabourMarketWorldFixture.Occupations;

    private static string Rating((string Code, string Title, int Skill, string National, string[] States) o, string state) =>
        o.States[Array.IndexOf(StateCodes, state)];

    private static bool IsShortage(string rating) => rating is "S" or "R" or "M";

    [Fact]
    public async Task ListOccupations_AreTheAnzscoListByDefault_OrderedByCode_PagedToTheEnd_WithRatingsAndLinks()
    {
        using var client = world.CreateClient();

        var (items, builds) = await client.PageAllAsync("/v1/occupations?limit=4");

        Assert.Equal(Anzsco.Select(o => o.Code).Order(StringComparer.Ordinal), items.Codes());
        Assert.Single(builds.Distinct());
        Assert.Equal(7, builds.Count);
        var cook = items.Single(i => (string)i["code"]! == "351411");
        Assert.Equal("anzsco-2022", (string)cook["classification"]!);
        Assert.Equal("Cook", (string)cook["title"]!);
        Assert.Equal(2025, (int)cook["listYear"]!);
        Assert.Equal("S", (string)cook["national"]!);
        Assert.Equal(StateCodes, cook["states"]!.AsObject().Select(p => p.Key));
        Assert.Equal("R", (string)cook["states"]!["QLD"]!);
        Assert.Equal(3, (int)cook["skillLevel"]!);
        Assert.Equal(2, (int)cook["qualificationCount"]!);
        Assert.Equal("occupation-shortage", (string)cook["token"]!["family"]!);
        Assert.NotNull(cook["proof"]);
        var chef = items.Single(i => (string)i["code"]! == "351311");
        Assert.Null(chef["token"]);
        Assert.Equal(1, (int)chef["qualificationCount"]!);

        var osca = (await client.PageAllAsync("/v1/occupations?classification=OSCA-2024")).Items;
        Assert.Equal(["261111", "351411"], osca.Codes());
        Assert.All(osca, o => Assert.Equal("osca-2024", (string)o["classification"]!));
        Assert.All(osca, o => Assert.Equal(0, (int)o["qualificationCount"]!));
    }

    [Theory]
    [InlineData("rating=S", null, "S", null)]
    [InlineData("rating=shortage", null, "shortage", null)]
    [InlineData("state=ACT&rating=M", "ACT", "M", null)]
    [InlineData("state=qld&rating=r", "QLD", "R", null)]
    [InlineData("state=WA", "WA", "shortage", null)]
    [InlineData("state=NSW&rating=NS", "NSW", "NS", null)]
    [InlineData("skillLevel=2", null, null, 2)]
    [InlineData("skillLevel=1&rating=R", null, "R", 1)]
    public async Task ListOccupations_FilterByRatingInAStateOrNationally_AndBySkillLevel(string query, string? state, string? rating, int? skill)
    {
        using var client = world.CreateClient();
        var expected = Anzsco
            .Where(o => skill is null || o.Skill == skill)
            .Where(o =>
            {
                if (rating is null)
                {
                    return true;
                }

                var actual = state is null ? o.National : Rating(o, state);
                return rating == "shortage" ? IsShortage(actual) : actual == rating;
            })
            .Select(o => o.Code).Order(StringComparer.Ordinal).ToList();

        var (items, _) = await client.PageAllAsync("/v1/occupations?limit=3&" + query);

        Assert.NotEmpty(expected);
        Assert.True(expected.Count < Anzsco.Count(), "the filter leaves some occupations out");
        Assert.Equal(expected, items.Codes());
    }

    [Fact]
    public async Task GetOccupation_HasRatings_TheTokenThatAssertsThem_TheUnitGroupsVacancyTrend_AndItsQualificationCount()
    {
        using var client = world.CreateClient();

        var cook = await client.GetObjectAsync("/v1/occupations/351411");

        Assert.Equal("Cook", (string)cook["title"]!);
        Assert.Equal("3514", (string)cook["unitGroup"]!);
        Assert.Equal(2, (int)cook["qualificationCount"]!);
        Assert.Equal("osl", (string)cook["snapshot"]!["source"]!);
        var (token, facts) = await client.TokenFactsAsync(cook["token"]);
        Assert.Equal("occupation:anzsco-2022:351411", (string)token["subject"]!);
        Assert.Equal("351411", (string)facts["code"]!);

        // AUST first, then the states the index has, in the list's order; the 4-digit series first by name.
        var trends = cook["vacancies"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.Equal(["AUST", "NSW", "VIC"], trends.Select(t => (string)t["state"]!));
        Assert.All(trends, t => Assert.Equal("anzsco4-3mma", (string)t["series"]!));
        var aust = trends[0];
        var latest = LabourMarketWorldFixture.Vacancies("3514", "AUST", LabourMarketWorldFixture.Months - 1);
        var yearEarlier = LabourMarketWorldFixture.Vacancies("3514", "AUST", LabourMarketWorldFixture.Months - 13);
        Assert.Equal("2025-04-01", (string)aust["latestMonth"]!);
        Assert.Equal(latest, (decimal)aust["latest"]!);
        Assert.Equal("2024-04-01", (string)aust["yearEarlierMonth"]!);
        Assert.Equal(yearEarlier, (decimal)aust["yearEarlier"]!);
        Assert.Equal(latest - yearEarlier, (decimal)aust["change"]!);
        Assert.Equal("ivi", (string)aust["snapshot"]!["source"]!);

        // A series shorter than a year has no change; OSCA occupations have no ANZSCO unit group, no links, their own token (none yet).
        var engineer = await client.GetObjectAsync("/v1/occupations/261313");
        var short_ = Assert.Single(engineer["vacancies"]!.AsArray())!;
        Assert.Null(short_["yearEarlier"]);
        Assert.Null(short_["change"]);
        Assert.Null(engineer["token"]);

        var osca = await client.GetObjectAsync("/v1/occupations/351411?classification=osca-2024");
        Assert.Equal("Cook (OSCA)", (string)osca["title"]!);
        Assert.Null(osca["unitGroup"]);
        Assert.Empty(osca["vacancies"]!.AsArray());
        Assert.Equal(0, (int)osca["qualificationCount"]!);
        Assert.Null(osca["token"]);
    }

    [Fact]
    public async Task Vacancies_AreTheUnitGroupsSeries_AustraliaByDefault_OrAState()
    {
        using var client = world.CreateClient();

        var aust = await client.GetObjectAsync("/v1/occupations/351311/vacancies");
        var vic = await client.GetObjectAsync("/v1/occupations/351311/vacancies?state=vic");

        Assert.Equal("AUST", (string)aust["state"]!);
        Assert.Equal("3513", (string)aust["code"]!);
        Assert.Equal(4, (int)aust["level"]!);
        Assert.Null(aust["token"]);
        var points = aust["points"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(
            Enumerable.Range(0, LabourMarketWorldFixture.Months).Select(i => LabourMarketWorldFixture.FirstMonth.AddMonths(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            points.Select(p => (string)p["month"]!));
        Assert.Equal(
            Enumerable.Range(0, LabourMarketWorldFixture.Months).Select(i => LabourMarketWorldFixture.Vacancies("3513", "AUST", i)),
            points.Select(p => (decimal)p["value"]!));
        Assert.Equal("VIC", (string)vic["state"]!);
        Assert.Equal(LabourMarketWorldFixture.Vacancies("3513", "VIC", 0), (decimal)vic["points"]![0]!["value"]!);
    }

    [Fact]
    public async Task Qualifications_AreTheComponentsClassifiedToTheOccupation_CurrentOrNot_PagedToTheEnd()
    {
        using var client = world.CreateClient();

        var (all, builds) = await client.PageAllAsync("/v1/occupations/351411/qualifications?limit=1");
        var (current, _) = await client.PageAllAsync("/v1/occupations/351411/qualifications?current=true");
        var (old, _) = await client.PageAllAsync("/v1/occupations/351411/qualifications?current=false");
        var (osca, _) = await client.PageAllAsync("/v1/occupations/351411/qualifications?classification=osca-2024");

        Assert.Equal(["SIT30816", "SIT30821"], all.Codes());
        Assert.Equal(2, builds.Count);
        Assert.Equal(["SIT30821"], current.Codes());
        Assert.Equal("training-component", (string)current[0]["token"]!["family"]!);
        Assert.Equal(["SIT30816"], old.Codes());
        Assert.Null(old[0]["token"]);
        Assert.Empty(osca);
    }

    [Fact]
    public async Task ComponentOccupations_AreTheListedAnzscoOccupations_WithRatingsTokensAndVacancyTrends()
    {
        using var client = world.CreateClient();

        var (cookery, _) = await client.PageAllAsync("/v1/components/SIT30821/occupations");
        var (none, _) = await client.PageAllAsync("/v1/components/BSB10120/occupations");
        var (unlisted, _) = await client.PageAllAsync("/v1/components/XYZ00001/occupations");

        var cook = Assert.Single(cookery);
        Assert.Equal("351411", (string)cook["code"]!);
        Assert.Equal("S", (string)cook["national"]!);
        Assert.Equal("occupation-shortage", (string)cook["token"]!["family"]!);
        Assert.Equal(3, cook["vacancies"]!.AsArray().Count);
        Assert.Empty(none);
        Assert.Empty(unlisted); // 999999 is on no list, and a 4-digit value is a unit group, not an occupation
    }

    [Theory]
    [InlineData("ACT")]
    [InlineData("nt")]
    [InlineData("NSW")]
    [InlineData("QLD")]
    [InlineData("national")]
    public async Task ShortageIn_ListsTheComponentsLeadingToAnOccupationInShortageThere(string scope)
    {
        using var client = world.CreateClient();
        var occupations = Anzsco.ToDictionary(o => o.Code);
        var expected = LabourMarketWorldFixture.Components
            .Where(c => c.Anzsco.Any(code => occupations.TryGetValue(code, out var o)
                && IsShortage(scope == "national" ? o.National : Rating(o, scope.ToUpperInvariant()))))
            .Select(c => c.Code).Order(StringComparer.Ordinal).ToList();

        var (items, _) = await client.PageAllAsync("/v1/components?limit=2&shortageIn=" + scope);
        var (current, _) = await client.PageAllAsync("/v1/components?status=current&shortageIn=" + scope);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, items.Codes());
        Assert.Equal(expected.Where(c => c != "SIT30816"), current.Codes());
    }

    [Fact]
    public async Task ShortageIn_DiffersByState()
    {
        using var client = world.CreateClient();

        var (act, _) = await client.PageAllAsync("/v1/components?shortageIn=ACT");
        var (nsw, _) = await client.PageAllAsync("/v1/components?shortageIn=NSW");

        Assert.Equal(["HLT54121", "SIT40521"], act.Codes());
        Assert.Equal(["HLT54121", "ICT50220", "SIT30816", "SIT30821", "SIT40521"], nsw.Codes());
    }

    [Fact]
    public async Task LabourSeries_AreListedByDataflowAndKey_FilteredByStateAndMeasure_AndReadByTheirRouteForm()
    {
        using var client = world.CreateClient();

        var (all, _) = await client.PageAllAsync("/v1/labour-series?limit=3");
        var (vic, _) = await client.PageAllAsync("/v1/labour-series?state=vic");
        var (employed, _) = await client.PageAllAsync("/v1/labour-series?measure=employed%20TOTAL");
        var series = await client.GetObjectAsync("/v1/labour-series/ABS.LF.1.0.0/M3.3.1599.20.AUS.M");

        Assert.Equal(
            ["ABS.ERP_Q.1.0.0/1.3.TOT.1.Q", "ABS.LF.1.0.0/M13.3.1599.20.VIC.M", "ABS.LF.1.0.0/M3.3.1599.20.AUS.M", "ABS.LF.1.0.0/M3.3.1599.20.NSW.M"],
            all.Select(s => (string)s["dataflowCode"]! + "/" + (string)s["seriesKey"]!));
        Assert.Equal("ABS,ERP_Q,1.0.0", (string)all[0]["dataflow"]!);
        Assert.Equal("2024-Q4", (string)all[0]["latestPeriod"]!);
        Assert.Equal(7010000m, (decimal)all[0]["latestValue"]!);
        Assert.Equal(2, (int)all[0]["observationCount"]!);
        Assert.Equal(["1.3.TOT.1.Q", "M13.3.1599.20.VIC.M"], vic.Codes("seriesKey"));
        Assert.Equal(["M3.3.1599.20.AUS.M", "M3.3.1599.20.NSW.M"], employed.Codes("seriesKey"));

        Assert.Equal("Thousands of persons", (string)series["unit"]!);
        Assert.Null(series["token"]);
        Assert.Equal("abs", (string)series["snapshot"]!["source"]!);
        var observations = series["observations"]!.AsArray().Select(o => o!.AsObject()).ToList();
        Assert.Equal(["2025-01", "2025-02", "2025-03"], observations.Select(o => (string)o["period"]!));
        Assert.Equal([14600.1m, 14610.5m, 14623.1m], observations.Select(o => (decimal)o["value"]!));
        Assert.Equal([null, "r", null], observations.Select(o => (string?)o["status"]));
    }

    [Fact]
    public async Task Answers_HaveStrongETags_AndAMatchingIfNoneMatchAnswers304()
    {
        using var client = world.CreateClient();
        foreach (var path in new[] { "/v1/occupations/351411", "/v1/occupations?state=NSW", "/v1/labour-series/ABS.LF.1.0.0/M3.3.1599.20.AUS.M" })
        {
            using var first = await client.GetAsync(path);
            var etag = first.Headers.ETag;
            Assert.NotNull(etag);
            Assert.False(etag.IsWeak);

            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.IfNoneMatch.Add(etag);
            using var second = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        }
    }

    [Fact]
    public async Task Cursors_BelongToTheirListingAndFilters()
    {
        using var client = world.CreateClient();
        var page = await client.GetObjectAsync("/v1/occupations?limit=2&rating=NS");
        var cursor = (string)page["nextCursor"]!;

        using var same = await client.GetAsync("/v1/occupations?limit=2&rating=NS&cursor=" + cursor);
        using var otherFilter = await client.GetAsync("/v1/occupations?limit=2&rating=S&cursor=" + cursor);
        using var otherListing = await client.GetAsync("/v1/labour-series?cursor=" + cursor);

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherFilter.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherListing.StatusCode);
    }

    [Theory]
    [InlineData("/v1/occupations?classification=isco-08", "classification")]
    [InlineData("/v1/occupations?state=XX", "state")]
    [InlineData("/v1/occupations?state=AUST", "state")]
    [InlineData("/v1/occupations?rating=Z", "rating")]
    [InlineData("/v1/occupations?skillLevel=0", "skillLevel")]
    [InlineData("/v1/occupations?skillLevel=6", "skillLevel")]
    [InlineData("/v1/occupations?skillLevel=two", "skillLevel")]
    [InlineData("/v1/occupations?limit=0", "limit")]
    [InlineData("/v1/occupations/35141", "code")]
    [InlineData("/v1/occupations/35141a", "code")]
    [InlineData("/v1/occupations/3514111", "code")]
    [InlineData("/v1/occupations/351411?classification=x", "classification")]
    [InlineData("/v1/occupations/351411/vacancies?state=XX", "state")]
    [InlineData("/v1/occupations/351411/qualifications?current=maybe", "current")]
    [InlineData("/v1/occupations/abc/qualifications", "code")]
    [InlineData("/v1/components?shortageIn=XX", "shortageIn")]
    [InlineData("/v1/components/bad%20code/occupations", "code")]
    [InlineData("/v1/labour-series?state=XX", "state")]
    [InlineData("/v1/labour-series?measure=%01", "measure")]
    [InlineData("/v1/labour-series/ABS%2CLF%2C1.0.0/M3.3.1599.20.AUS.M", "dataflow")]
    [InlineData("/v1/labour-series/ABS.LF.1.0.0/M3%2B3", "seriesKey")]
    public async Task BadRequests_AreProblemsNamingTheParameter(string path, string parameter)
    {
        using var client = world.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadObjectAsync();
        Assert.Equal("urn:rtgf:problem:invalid-request", (string)problem["type"]!);
        Assert.StartsWith(parameter + " ", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/occupations/999999")]
    [InlineData("/v1/occupations/261111")] // an OSCA code, asked as ANZSCO
    [InlineData("/v1/occupations/999999/vacancies")]
    [InlineData("/v1/occupations/351411/vacancies?state=TAS")]
    [InlineData("/v1/occupations/411411/vacancies?state=AUST&classification=osca-2024")]
    [InlineData("/v1/occupations/351411/vacancies?classification=osca-2024")]
    [InlineData("/v1/occupations/999999/qualifications")]
    [InlineData("/v1/components/NOPE0001/occupations")]
    [InlineData("/v1/labour-series/ABS.LF.1.0.0/M9.9")]
    [InlineData("/v1/labour-series/ABS.CPI.1.0.0/M3.3.1599.20.AUS.M")]
    public async Task UnknownCodes_AreNotFound(string path)
    {
        using var client = world.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("urn:rtgf:problem:not-found", (string)(await response.ReadObjectAsync())["type"]!);
    }
}
