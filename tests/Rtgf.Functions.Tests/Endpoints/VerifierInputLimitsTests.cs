using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>
/// Inputs at the edges of what storage and the calendar hold: each is a verdict reason or a 400 Problem, never a 500, and
/// one such token in a batch does not fail the others.
/// </summary>
public sealed class VerifierInputLimitsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public static TheoryData<string, string> DateShapes => new()
    {
        { "iat", "-1e11" },
        { "exp", "-1e11" },
        { "nbf", "-1e11" },
        { "exp", "253402300799" },
        { "nbf", "-62135596800" },
        { "iat", "1e300" },
        { "exp", "1772323200.5" },
        { "nbf", "99999999999999999999999" },
    };

    [Theory]
    [MemberData(nameof(DateShapes))]
    public async Task Verify_DateClaimAtOrBeyondTheCalendar_IsAVerdictWithAReason(string claim, string value)
    {
        var token = await AdversarialTokens.WithDateAsync(api.Publication, claim, value);
        using var client = api.CreateClient();

        foreach (var at in new string?[] { null, "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z" })
        {
            using var response = await client.PostAsJsonAsync("/verify", new { token, at });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var verdict = await response.ReadObjectAsync();
            Assert.NotEmpty(verdict["reasons"]!.AsArray());
        }
    }

    [Fact]
    public async Task VerifyBatch_OutOfRangeDatesBesideValidTokens_EachGetsItsVerdict()
    {
        var tokens = new List<string> { api.Tokens[0].Jws };
        foreach (var (claim, value) in new[] { ("iat", "-1e11"), ("exp", "253402300799"), ("nbf", "-62135596800") })
        {
            tokens.Add(await AdversarialTokens.WithDateAsync(api.Publication, claim, value));
        }

        tokens.Add(api.Tokens[1].Jws);
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/verify/batch", new { tokens, at = "2026-03-02T00:00:00Z" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadObjectAsync();
        Assert.Equal(5, result["count"]!.GetValue<int>());
        Assert.Equal(2, result["valid"]!.GetValue<int>());
        Assert.Contains("invalid-payload", Codes(result["results"]![1]!.AsObject()));
        Assert.Equal(["lifetime-too-long"], Codes(result["results"]![2]!.AsObject()));
        Assert.Contains("invalid-payload", Codes(result["results"]![3]!.AsObject()));
        Assert.True(result["results"]![4]!["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Verify_StatusUriSegmentOver512Characters_StatusReferenceInvalid()
    {
        var token = await AdversarialTokens.WithListUriAsync(api.Publication, "rto:60000", AdversarialTokens.LongSegmentListUri);
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/verify", new { token });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["status-reference-invalid"], Codes(await response.ReadObjectAsync()));
    }

    [Theory]
    [InlineData('%', 256)]
    [InlineData('/', 150)]
    [InlineData('#', 200)]
    [InlineData('?', 256)]
    public async Task Tokens_SubjectTooLongOnceEscaped_Is400Problem(char escaped, int count)
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri("/tokens?subject=" + Uri.EscapeDataString(new string(escaped, count)), UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("too long for a registry key", (await response.ReadObjectAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_SubjectThatJustFitsOnceEscaped_IsAnswered()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync(new Uri("/tokens?subject=" + Uri.EscapeDataString(new string('/', 149)), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("rto:12345", true)]
    [InlineData("/", true)]
    [InlineData(null, true)]
    [InlineData("%", false)]
    [InlineData("a", false)]
    public void RegistrySubjects_FitsKey_CountsEscapedCharactersThreeTimes(string? unit, bool fits)
    {
        // 149 escaped characters are 447 once escaped: with '|' and a 64-character family, 512, the key limit.
        var subject = unit switch
        {
            null => new string('\u0001', 149),
            "%" => new string('%', 150),
            "a" => new string('a', 448),
            "/" => new string('/', 149),
            _ => unit,
        };

        Assert.Equal(fits, Rtgf.Pipeline.Registry.RegistrySubjects.FitsKey(subject));
    }

    private static List<string> Codes(JsonObject verdict) => [.. verdict["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>())];
}
