using System.Globalization;
using System.Text.Json;
using Rtgf.Compiler;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// A small real compiler for stage tests: one token per record of the <c>test</c> source (subject = key, facts = the record's
/// facts, iat = the snapshot's fetch time). With <see cref="Nondeterministic"/> each run salts its manifest differently.
/// </summary>
internal sealed class RecordsCompiler : IBuildCompiler
{
    public const string Source = "test";
    public const string Family = "test-family";

    private int _runs;

    public bool Nondeterministic { get; init; }

    public int Runs => _runs;

    public IReadOnlyList<string> Sources => [Source];

    public IReadOnlyList<string> RequiredSources => [Source];

    public CompileResult Compile(IReadOnlyList<Snapshot> snapshots, string issuer)
    {
        var run = Interlocked.Increment(ref _runs);
        var snapshot = snapshots.Single();
        var tokens = new List<CompiledToken>();
        foreach (var line in System.Text.Encoding.UTF8.GetString(snapshot.Records.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var key = document.RootElement.GetProperty("key").GetString()!;
            var facts = document.RootElement.GetProperty("facts").GetRawText();
            tokens.Add(TestTokens.Token(Family, key, facts, snapshot.Manifest.FetchedAt, snapshot: snapshot.Manifest.Digest));
        }

        var salt = Nondeterministic ? run.ToString(CultureInfo.InvariantCulture) : string.Empty;
        return TestTokens.Build([new BuildInput(Source, snapshot.Manifest.Digest, snapshot.Manifest.RecordCount)], tokens, salt);
    }

    public static Snapshot Snapshot(string runId, DateTimeOffset fetchedAt, params (string Key, string Facts)[] records) =>
        SnapshotBuilder.Build(Source, runId, fetchedAt, [], records.Select(r => new TestRecord(r.Key, r.Facts)));
}
