using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Compiler.Policy;
using Rtgf.Tooling;

namespace Rtgf.Compiler.Tests;

public sealed class PolicyMatrixTests
{
    private static string DefaultText() =>
        File.ReadAllText(Path.Combine(RepositoryLayout.FindRoot(), "shared", "Rtgf.Compiler", "PolicyMatrix", "policy-matrix.json"));

    private static PolicyMatrix ParseMutated(Action<JsonObject> mutate)
    {
        var root = JsonNode.Parse(DefaultText())!.AsObject();
        mutate(root);
        return PolicyMatrix.Parse(Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    private static JsonObject Family(JsonObject root, string name) =>
        root["families"]!.AsArray().Select(f => f!.AsObject()).Single(f => (string)f["name"]! == name);

    [Fact]
    public void LoadDefault_ShippedMatrix_DefinesTheFamiliesAndSources()
    {
        var matrix = PolicyMatrix.LoadDefault();
        Assert.Equal(["cricos-course", "occupation-shortage", "rto-registration", "rto-scope", "sanctions-screen", "training-component"], matrix.Families);
        Assert.Equal(["abs", "cricos", "ivi", "osl", "sanctions", "teqsa", "tga"], matrix.Sources);
        Assert.Equal(["cricos", "sanctions", "teqsa", "tga"], matrix.RequiredSources); // a build never waits for the labour-market lists
        Assert.Equal(["occupation-shortage"], matrix.SourcePolicies.Single(s => s.Name == "osl").Records);
        Assert.Equal(["vacancy-series"], matrix.SourcePolicies.Single(s => s.Name == "ivi").Records);
        Assert.Equal(["labour-series"], matrix.SourcePolicies.Single(s => s.Name == "abs").Records);
        Assert.StartsWith("sha256:", matrix.Digest, StringComparison.Ordinal);
        Assert.Equal(500, matrix.Find("rto-registration")!.MaxScopeItems);
        Assert.Equal(["sanctions", "tga"], matrix.Find("sanctions-screen")!.Sources);
        Assert.Equal("rto:{code}", matrix.Find("rto-registration")!.Subject.Text);
        Assert.Equal(30 * 86_400L, matrix.Find("training-component")!.ValiditySeconds);
        Assert.Equal(["osl", "tga"], matrix.Find("occupation-shortage")!.Sources); // tga renews the yearly list's tokens
        Assert.Equal("occupation:{classification}:{code}", matrix.Find("occupation-shortage")!.Subject.Text);
    }

    [Fact]
    public void LoadDefault_SameAsTheFileInTheRepository()
    {
        Assert.Equal(PolicyMatrix.Parse(Encoding.UTF8.GetBytes(DefaultText())).Digest, PolicyMatrix.LoadDefault().Digest);
    }

    [Fact]
    public void Parse_MemberOrderAndWhitespace_DoNotChangeTheDigest()
    {
        var compact = JsonNode.Parse(DefaultText())!.ToJsonString();
        Assert.Equal(PolicyMatrix.LoadDefault().Digest, PolicyMatrix.Parse(Encoding.UTF8.GetBytes(compact)).Digest);
        Assert.NotEqual(PolicyMatrix.LoadDefault().Digest, ParseMutated(r => r["version"] = "other").Digest);
    }

    public static TheoryData<string, string> Mutations() => new()
    {
        { "unknown-source", "family 'training-component': unknown source 'tga2'" },
        { "unknown-family", "unknown family 'vacancy-trend'" },
        { "duplicate-family", "duplicate family 'training-component'" },
        { "duplicate-source", "duplicate source 'tga'" },
        { "zero-validity", "family 'cricos-course': bad validity period" },
        { "huge-validity", "family 'cricos-course': bad validity period" },
        { "validity-beyond-token-lifetime", "family 'cricos-course': bad validity period: 'validityDays' must be a whole number of days from 1 to 366" },
        { "text-validity", "family 'cricos-course': bad validity period" },
        { "fraction-validity", "family 'cricos-course': bad validity period" },
        { "missing-subject", "family 'training-component': missing subject rule" },
        { "subject-without-placeholder", "must use '{code}'" },
        { "subject-unknown-placeholder", "unknown placeholder '{id}'" },
        { "subject-unclosed", "unclosed '{'" },
        { "missing-scope-limit", "needs 'limits.maxScopeItems'" },
        { "bad-scope-limit", "'limits.maxScopeItems' must be a whole number" },
        { "limit-on-other-family", "unknown member 'maxScopeItems'" },
        { "no-scope-family", "define 'rto-scope'" },
        { "records-not-provided", "family 'sanctions-screen': needs 'sanction' records" },
        { "unknown-member", "unknown member 'validity'" },
        { "unknown-record-kind", "unknown record kind 'occupation'" },
        { "record-kind-twice", "record kind 'rto' is assigned to both" },
        { "no-screening", "needs 'screening'" },
        { "lower-case-ignored-word", "upper-case words" },
        { "bad-source-name", "lowercase letters, digits and '-'" },
        { "no-families", "no families are defined" },
        { "no-version", "'version' must be a non-empty string" },
        { "text-required", "source 'osl': 'required' must be true or false" },
        { "null-required", "source 'abs': 'required' must be true or false" },
        { "indistinct-kinds", "source 'tga': 'component' and 'vacancy-series' records start with the same member" },
        { "occupation-subject-without-classification", "must use '{classification}'" },
        { "occupation-shortage-without-osl", "family 'occupation-shortage': needs 'occupation-shortage' records" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Parse_InvalidMatrix_ThrowsNamingTheProblem(string mutation, string expected)
    {
        var error = Assert.Throws<PolicyMatrixException>(() => ParseMutated(root =>
        {
            var families = root["families"]!.AsArray();
            var sources = root["sources"]!.AsArray();
            switch (mutation)
            {
                case "unknown-source": Family(root, "training-component")["sources"] = new JsonArray("tga2"); break;
                case "unknown-family": families.Add(JsonNode.Parse("""{"name":"vacancy-trend","sources":["ivi"],"subject":"ivi:{code}","validityDays":30}""")); break;
                case "duplicate-family": families.Add(Family(root, "training-component").DeepClone()); break;
                case "duplicate-source": sources.Add(JsonNode.Parse("""{"name":"tga","records":[]}""")); break;
                case "zero-validity": Family(root, "cricos-course")["validityDays"] = 0; break;
                case "huge-validity": Family(root, "cricos-course")["validityDays"] = 4000; break;
                case "validity-beyond-token-lifetime": Family(root, "cricos-course")["validityDays"] = 367; break;
                case "text-validity": Family(root, "cricos-course")["validityDays"] = "30"; break;
                case "fraction-validity": Family(root, "cricos-course")["validityDays"] = 1.5; break;
                case "missing-subject": Family(root, "training-component").Remove("subject"); break;
                case "subject-without-placeholder": Family(root, "training-component")["subject"] = "tc:all"; break;
                case "subject-unknown-placeholder": Family(root, "training-component")["subject"] = "tc:{id}"; break;
                case "subject-unclosed": Family(root, "training-component")["subject"] = "tc:{code"; break;
                case "missing-scope-limit": Family(root, "rto-registration").Remove("limits"); break;
                case "bad-scope-limit": Family(root, "rto-registration")["limits"] = JsonNode.Parse("""{"maxScopeItems":0}"""); break;
                case "limit-on-other-family": Family(root, "training-component")["limits"] = JsonNode.Parse("""{"maxScopeItems":5}"""); break;
                case "no-scope-family": families.Remove(Family(root, "rto-scope")); break;
                case "records-not-provided": Family(root, "sanctions-screen")["sources"] = new JsonArray("tga"); break;
                case "unknown-member": Family(root, "training-component")["validity"] = "P30D"; break;
                case "unknown-record-kind": sources[0]!["records"]!.AsArray().Add("occupation"); break;
                case "record-kind-twice": sources[0]!["records"]!.AsArray().Add("rto"); break;
                case "no-screening": Family(root, "sanctions-screen").Remove("screening"); break;
                case "lower-case-ignored-word": Family(root, "sanctions-screen")["screening"]!["ignoredWords"] = new JsonArray("pty"); break;
                case "bad-source-name": sources[0]!["name"] = "CRICOS"; break;
                case "no-families": root["families"] = new JsonArray(); break;
                case "no-version": root.Remove("version"); break;
                case "text-required": Source(root, "osl")["required"] = "no"; break;
                case "null-required": Source(root, "abs")["required"] = null; break;
                case "indistinct-kinds":
                    Source(root, "ivi")["records"] = new JsonArray();
                    Source(root, "tga")["records"]!.AsArray().Add("vacancy-series");
                    break;
                case "occupation-subject-without-classification": Family(root, "occupation-shortage")["subject"] = "occupation:{code}"; break;
                case "occupation-shortage-without-osl": Family(root, "occupation-shortage")["sources"] = new JsonArray("ivi"); break;
                default: throw new ArgumentOutOfRangeException(nameof(mutation));
            }
        }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Policy matrix: ", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Source(JsonObject root, string name) =>
        root["sources"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string)s["name"]! == name);

    [Fact]
    public void Parse_RequiredFlag_DefaultsToTrueAndChangesTheDigest()
    {
        var allRequired = ParseMutated(root =>
        {
            foreach (var source in root["sources"]!.AsArray())
            {
                source!.AsObject().Remove("required");
            }
        });
        Assert.Equal(allRequired.Sources, allRequired.RequiredSources);
        Assert.All(allRequired.SourcePolicies, s => Assert.True(s.Required));
        Assert.NotEqual(PolicyMatrix.LoadDefault().Digest, allRequired.Digest);

        var explicitTrue = ParseMutated(root => Source(root, "tga")["required"] = true);
        Assert.True(explicitTrue.SourcePolicies.Single(s => s.Name == "tga").Required);
        Assert.False(explicitTrue.SourcePolicies.Single(s => s.Name == "osl").Required);
    }

    [Fact]
    public void Parse_NotJson_Throws()
    {
        var error = Assert.Throws<PolicyMatrixException>(() => PolicyMatrix.Parse("{\"version\":"u8));
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
