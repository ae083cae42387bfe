using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rtgf.Core.Encoding;
using Rtgf.Tooling;

namespace Rtgf.Compiler.Tests;

public sealed class TokenCompilerTests
{
    private const string UpdateVariable = "RTGF_UPDATE_GOLDEN";

    private static CompileResult CompileGolden(ulong? seed = null) =>
        new TokenCompiler(GoldenCorpus.Matrix).Compile(GoldenCorpus.Snapshots(seed), GoldenCorpus.Issuer);

    [Fact]
    public void Compile_GoldenCorpus_MatchesGoldenFilesByteForByte()
    {
        var result = CompileGolden();
        var manifest = result.ManifestJson.ToArray();
        var tokens = Encoding.UTF8.GetBytes(string.Concat(result.Tokens.Select(t => Encoding.UTF8.GetString(t.PayloadJson.Span) + "\n")));
        var directory = Path.Combine(RepositoryLayout.FindRoot(), "tests", "Rtgf.Compiler.Tests", "Golden");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllBytes(Path.Combine(directory, "manifest.json"), manifest);
            File.WriteAllBytes(Path.Combine(directory, "tokens.jsonl"), tokens);
        }

        const string how = $"Compiler output changed. If deliberate (bump TokenCompiler.Version when bytes change for the same inputs), regenerate with `{UpdateVariable}=1 dotnet test tests/Rtgf.Compiler.Tests --filter Compile_GoldenCorpus` and review the diff of tests/Rtgf.Compiler.Tests/Golden.";
        Assert.True(File.ReadAllBytes(Path.Combine(directory, "manifest.json")).AsSpan().SequenceEqual(manifest), how + "\nmanifest now: " + Encoding.UTF8.GetString(manifest));
        var expectedTokens = File.ReadAllText(Path.Combine(directory, "tokens.jsonl")).Split('\n');
        var actualTokens = Encoding.UTF8.GetString(tokens).Split('\n');
        Assert.Equal(expectedTokens.Length, actualTokens.Length);
        for (var i = 0; i < expectedTokens.Length; i++)
        {
            Assert.True(string.Equals(expectedTokens[i], actualTokens[i], StringComparison.Ordinal), $"{how}\ntoken line {i + 1} now: {actualTokens[i]}");
        }
    }

    [Fact]
    public void Compile_GoldenCorpus_BuildIdIsDigestOfManifestAndTokensAreOrdered()
    {
        var result = CompileGolden();
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(result.ManifestJson.Span)), result.BuildId);
        Assert.True(CanonicalJson.IsCanonical(result.ManifestJson.Span));
        var order = result.Tokens.Select(t => (t.Family, t.Subject)).ToList();
        var sorted = order.OrderBy(t => t.Family, StringComparer.Ordinal).ThenBy(t => t.Subject, StringComparer.Ordinal).ToList();
        Assert.Equal(sorted, order);
        Assert.Equal(["abs", "cricos", "ivi", "osl", "sanctions", "teqsa", "tga"], result.Inputs.Select(i => i.Source));
        Assert.Equal(15, result.Inputs.Single(i => i.Source == "tga").RecordCount);
    }

    [Fact]
    public void Compile_EveryToken_IdsAreHashesOfCanonicalPayloadAndFacts()
    {
        foreach (var token in CompileGolden().Tokens)
        {
            Assert.True(CanonicalJson.IsCanonical(token.PayloadJson.Span));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(token.PayloadJson.Span)), token.TokenId);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.FactsJson))), token.FactsDigest);
            using var payload = JsonDocument.Parse(token.PayloadJson);
            var root = payload.RootElement;
            Assert.Equal(token.FactsJson, root.GetProperty("facts").GetRawText());
            Assert.Equal(token.Family, root.GetProperty("fam").GetString());
            Assert.Equal(token.Subject, root.GetProperty("sub").GetString());
            Assert.Equal(GoldenCorpus.Issuer, root.GetProperty("iss").GetString());
            Assert.Equal(token.IssuedAt.ToUnixTimeSeconds(), root.GetProperty("iat").GetInt64());
            Assert.Equal(token.NotBefore.ToUnixTimeSeconds(), root.GetProperty("nbf").GetInt64());
            Assert.Equal(token.Expires.ToUnixTimeSeconds(), root.GetProperty("exp").GetInt64());
            Assert.Equal(token.SnapshotDigest, root.GetProperty("snap").GetString());
            Assert.Equal(["exp", "facts", "fam", "iat", "iss", "nbf", "snap", "sub"], root.EnumerateObject().Select(p => p.Name));
        }
    }

    [Fact]
    public void Compile_Times_ComeFromSnapshotFetchTimesAndMatrixValidity()
    {
        var snapshots = GoldenCorpus.Snapshots();
        var result = new TokenCompiler(GoldenCorpus.Matrix).Compile(snapshots, GoldenCorpus.Issuer);
        string Digest(string source) => snapshots.Single(s => s.Manifest.Source == source).Manifest.Digest;

        var component = result.Tokens.First(t => t.Family == "training-component");
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 3, 15, 42, TimeSpan.Zero), component.IssuedAt);
        Assert.Equal(component.IssuedAt, component.NotBefore);
        Assert.Equal(component.NotBefore.AddDays(30), component.Expires);
        Assert.Equal(Digest("tga"), component.SnapshotDigest);

        // Two sources: the later fetch time; the primary (first listed, dfat) digest; 7 days.
        var screen = result.Tokens.First(t => t.Family == "sanctions-screen");
        Assert.Equal(GoldenCorpus.DfatFetchedAt, screen.IssuedAt);
        Assert.Equal(screen.NotBefore.AddDays(7), screen.Expires);
        Assert.Equal(Digest("sanctions"), screen.SnapshotDigest);

        var course = result.Tokens.First(t => t.Family == "cricos-course");
        Assert.Equal(GoldenCorpus.CricosFetchedAt, course.IssuedAt);

        // The yearly list with TGA beside it: issued at the later (TGA) fetch, so a token is renewed while the list stands.
        var shortage = result.Tokens.First(t => t.Family == "occupation-shortage");
        Assert.True(GoldenCorpus.OslFetchedAt < component.IssuedAt);
        Assert.Equal(component.IssuedAt, shortage.IssuedAt);
        Assert.Equal(shortage.NotBefore.AddDays(30), shortage.Expires);
        Assert.Equal(Digest("osl"), shortage.SnapshotDigest);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(0xDEADBEEFUL)]
    public void Compile_ShuffledRecordsAndSnapshotOrder_ByteIdenticalOutput(ulong seed)
    {
        var expected = GoldenCorpus.Output(CompileGolden());
        Assert.Equal(expected, GoldenCorpus.Output(CompileGolden(seed)));
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("ar-SA")]
    [InlineData("th-TH")]
    [InlineData("fa-IR")]
    [InlineData("de-DE")]
    [InlineData("ja-JP")]
    public void Compile_OtherCultures_ByteIdenticalOutput(string culture)
    {
        var expected = GoldenCorpus.Output(CompileGolden());
        var odd = CultureInfo.GetCultureInfo(culture);
        Assert.Equal(culture, odd.Name); // ICU is present: a real culture, not the invariant fallback
        var thread = Thread.CurrentThread;
        var (previous, previousUi, previousDefault) = (thread.CurrentCulture, thread.CurrentUICulture, CultureInfo.DefaultThreadCurrentCulture);
        try
        {
            // The thread's culture and the default for worker threads (the compiler writes tokens in parallel).
            thread.CurrentCulture = odd;
            thread.CurrentUICulture = odd;
            CultureInfo.DefaultThreadCurrentCulture = odd;
            Assert.Equal(culture, thread.CurrentCulture.Name);
            Assert.Equal(expected, GoldenCorpus.Output(CompileGolden(7)));
        }
        finally
        {
            thread.CurrentCulture = previous;
            thread.CurrentUICulture = previousUi;
            CultureInfo.DefaultThreadCurrentCulture = previousDefault;
        }
    }

    [Fact]
    public async Task Compile_SeparateProcessesInOtherTimeZonesAndCultures_ByteIdenticalManifests()
    {
        var inProcess = CompileGolden();
        var expected = Encoding.UTF8.GetString(inProcess.ManifestJson.Span) + "\n" + GoldenCorpus.OutputDigest(inProcess);

        var first = await RunChildAsync("Pacific/Chatham", "tr_TR.UTF-8", 0);
        var second = await RunChildAsync("America/St_Johns", "ar_SA.UTF-8", 11);
        Assert.Equal(["Pacific/Chatham", "tr-TR"], first.Environment);
        Assert.Equal(["America/St_Johns", "ar-SA"], second.Environment);
        Assert.Equal(expected, first.Output);
        Assert.Equal(expected, second.Output);
    }

    [Fact]
    public void Compile_MissingSource_SkipsItsFamiliesAndTheManifestSaysSo()
    {
        var snapshots = GoldenCorpus.Snapshots().Where(s => s.Manifest.Source != "sanctions").ToList();
        var (result, families) = new TokenCompiler(GoldenCorpus.Matrix).CompileWithOutcomes(snapshots, GoldenCorpus.Issuer);

        Assert.DoesNotContain(result.Tokens, t => t.Family == "sanctions-screen");
        Assert.Contains(result.Tokens, t => t.Family == "rto-registration");
        var skipped = Assert.Single(families, f => f.Skipped);
        Assert.Equal("sanctions-screen", skipped.Family);
        Assert.Equal(["sanctions"], skipped.Missing);
        using var manifest = JsonDocument.Parse(result.ManifestJson);
        var entry = manifest.RootElement.GetProperty("families").EnumerateArray().Single(f => f.GetProperty("family").GetString() == "sanctions-screen");
        Assert.Equal("""{"family":"sanctions-screen","missing":["sanctions"],"sources":["sanctions","tga"],"status":"skipped"}""", entry.GetRawText());
        Assert.Equal(1, manifest.RootElement.GetProperty("totals").GetProperty("skipped").GetInt32());
        Assert.NotEqual(CompileGolden().BuildId, result.BuildId);
    }

    [Fact]
    public void Compile_WithoutTheOptionalLabourMarketSources_CompilesTheRestAndListsOnlyWhatWasRead()
    {
        var labour = new[] { "abs", "ivi", "osl" };
        var snapshots = GoldenCorpus.Snapshots().Where(s => !labour.Contains(s.Manifest.Source)).ToList();
        var (result, families) = new TokenCompiler(GoldenCorpus.Matrix).CompileWithOutcomes(snapshots, GoldenCorpus.Issuer);

        Assert.Equal(["cricos", "sanctions", "teqsa", "tga"], result.Inputs.Select(i => i.Source));
        Assert.DoesNotContain(result.Tokens, t => t.Family == "occupation-shortage");
        var skipped = Assert.Single(families, f => f.Skipped);
        Assert.Equal("occupation-shortage", skipped.Family);
        Assert.Equal(["osl"], skipped.Missing);

        // Every other family's tokens are the golden build's, byte for byte.
        var golden = CompileGolden().Tokens.Where(t => t.Family != "occupation-shortage").Select(t => t.TokenId);
        Assert.Equal(golden, result.Tokens.Select(t => t.TokenId));
    }

    [Fact]
    public void Compile_NoSnapshots_SkipsEveryFamily()
    {
        var (result, families) = new TokenCompiler(GoldenCorpus.Matrix).CompileWithOutcomes([], GoldenCorpus.Issuer);
        Assert.Empty(result.Tokens);
        Assert.All(families, f => Assert.True(f.Skipped));
        Assert.Equal(6, families.Count);
    }

    [Fact]
    public void Compile_ManifestRecordsCompilerMatrixInputsAndFamilyDigests()
    {
        var snapshots = GoldenCorpus.Snapshots();
        var result = new TokenCompiler(GoldenCorpus.Matrix).Compile(snapshots, GoldenCorpus.Issuer);
        using var manifest = JsonDocument.Parse(result.ManifestJson);
        var root = manifest.RootElement;
        Assert.Equal(TokenCompiler.Version, root.GetProperty("compiler").GetProperty("version").GetString());
        Assert.Equal("golden-3", root.GetProperty("matrix").GetProperty("version").GetString());
        Assert.Equal(GoldenCorpus.Matrix.Digest, root.GetProperty("matrix").GetProperty("digest").GetString());
        Assert.Equal(
            snapshots.OrderBy(s => s.Manifest.Source, StringComparer.Ordinal).Select(s => s.Manifest.Digest),
            root.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("digest").GetString()));
        foreach (var family in root.GetProperty("families").EnumerateArray())
        {
            var tokens = result.Tokens.Where(t => t.Family == family.GetProperty("family").GetString()).ToList();
            Assert.Equal(tokens.Count, family.GetProperty("count").GetInt32());
            var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Concat(tokens.Select(t => t.TokenId + "\n")))));
            Assert.Equal(expected, family.GetProperty("digest").GetString());
        }

        Assert.Equal(result.Tokens.Count, root.GetProperty("totals").GetProperty("tokens").GetInt32());
    }

    [Fact]
    public void Compile_DifferentIssuerOrMatrix_ChangesBuildId()
    {
        var baseline = CompileGolden().BuildId;
        Assert.NotEqual(baseline, new TokenCompiler(GoldenCorpus.Matrix).Compile(GoldenCorpus.Snapshots(), "https://other.example").BuildId);
        Assert.NotEqual(baseline, new TokenCompiler(PolicyMatrix.LoadDefault()).Compile(GoldenCorpus.Snapshots(), GoldenCorpus.Issuer).BuildId);
    }

    [Fact]
    public void Compile_SnapshotOfUnknownSource_Throws()
    {
        var stray = GoldenCorpus.Build("jsa", GoldenCorpus.TgaFetchedAt, []);
        var error = Assert.Throws<CompilerInputException>(() => new TokenCompiler(GoldenCorpus.Matrix).Compile([.. GoldenCorpus.Snapshots(), stray], GoldenCorpus.Issuer));
        Assert.Equal("jsa", error.Source);
        Assert.Contains("reads no source of that name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_TwoSnapshotsOfOneSource_Throws()
    {
        var again = GoldenCorpus.Build("sanctions", GoldenCorpus.DfatFetchedAt.AddDays(1), GoldenCorpus.Dfat());
        var error = Assert.Throws<CompilerInputException>(() => new TokenCompiler(GoldenCorpus.Matrix).Compile([.. GoldenCorpus.Snapshots(), again], GoldenCorpus.Issuer));
        Assert.Contains("two snapshots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_EmptyIssuer_Throws() =>
        Assert.Throws<ArgumentException>(() => new TokenCompiler(GoldenCorpus.Matrix).Compile(GoldenCorpus.Snapshots(), ""));

    private static async Task<(string Output, string[] Environment)> RunChildAsync(string timeZone, string locale, ulong seed)
    {
        var assembly = typeof(GoldenCorpus).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "exec", assembly, "compile-golden", seed.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TZ"] = timeZone;
        start.Environment["LANG"] = locale;
        start.Environment["LC_ALL"] = locale;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"child exited {process.ExitCode}: {await stderr}");
        var lines = (await stdout).Split('\n');
        Assert.Equal(5, lines.Length); // manifest, digest, time zone, culture, ""
        return (lines[0] + "\n" + lines[1], [lines[2], lines[3]]);
    }
}
