using Rtgf.Core.Signing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;

namespace Rtgf.Cli.Tests.Log;

public sealed class LogAuditCommandTests(LogFixture log) : IClassFixture<LogFixture>, IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("rtgf-cli-audit-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Audit_CleanDirectory_SummaryAndExit0()
    {
        var (code, output, error) = await RunAsync("log", "audit", "--log", log.Directory, "--key", log.VerifierKey);

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(
            $"origin: {LogFixture.Origin}\nsize: 700\nroot: {log.Second.Checkpoint.RootHashBase64}\n"
            + "checked: 700 entries, 4 tiles, 3 stored partials\nclean: the stored tiles and entries prove the signed checkpoint\n",
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Audit_TileByteFlippedAndStoredPartialChanged_OneLinePerFindingExit1()
    {
        var dir = CopyLog();
        Flip(Path.Combine(dir, "tile", "0", "000"), 32 * 10);
        Flip(Path.Combine(dir, "tile", "entries", "001.p", "44"), 5);

        var (code, output, _) = await RunAsync("log", "audit", "--log", dir, "--key", log.VerifierKey);
        var lines = output.ReplaceLineEndings("\n").TrimEnd().Split('\n');

        Assert.Equal(1, code);
        Assert.Equal("findings: 2", lines[4]);
        Assert.StartsWith("tile-hash-mismatch tile/0/000: 1 of its 256 hashes differ", lines[5], StringComparison.Ordinal);
        Assert.StartsWith("object-changed tile/entries/001.p/44: It is not the first 44 entries of 'tile/entries/001'", lines[6], StringComparison.Ordinal);
        Assert.Equal(7, lines.Length);
    }

    [Fact]
    public async Task Audit_IncidentWedge_RootMismatchExit1()
    {
        using var signer = LocalDevelopmentSigner.Create();
        var (a, b) = (new InMemoryLogObjectStore(), new InMemoryLogObjectStore());
        await new LogIntegrator(a, LogFixture.Origin, signer).IntegrateAsync([LogFixture.Entry(1)]);
        var signedByB = await new LogIntegrator(b, LogFixture.Origin, signer).IntegrateAsync([LogFixture.Entry(2)]);
        await Export(a, "tile/0/000.p/1");
        await Export(a, "tile/entries/000.p/1");
        await Export(b, "checkpoint");
        var key = NoteVerifierKey.ForEcdsa(LogFixture.Origin, signer.PublicKey).ToString();

        var (code, output, _) = await RunAsync("log", "audit", "--log", _scratch, "--key", key);

        Assert.Equal(1, code);
        var leaf = Convert.ToBase64String(MerkleHash.Leaf(LogFixture.Entry(1).Span));
        Assert.Contains(
            $"root-mismatch checkpoint: The checkpoint signs root {signedByB.Checkpoint.RootHashBase64} for size 1, but the stored tiles give {leaf}",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_PreviousCheckpoint_ConsistentExit0_AnotherLogsExit1()
    {
        var earlier = Write("earlier.note", log.First.CheckpointNote);
        using var signer = LocalDevelopmentSigner.Create();
        var fork = await new LogIntegrator(new InMemoryLogObjectStore(), LogFixture.Origin, signer).IntegrateAsync([LogFixture.Entry(99)]);
        var foreign = Write("foreign.note", fork.CheckpointNote);

        var consistent = await RunAsync("log", "audit", "--log", log.Directory, "--key", log.VerifierKey, "--previous", "@" + earlier);
        var forked = await RunAsync("log", "audit", "--log", log.Directory, "--key", log.VerifierKey, "--previous", "@" + foreign);

        Assert.Equal(0, consistent.Code);
        Assert.Equal(1, forked.Code);
        Assert.Contains("previous-invalid checkpoint: The previous checkpoint does not verify: no signature from a known key.", forked.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a note", "rtgf: --previous: The note")]
    [InlineData(null, "rtgf: the log has no checkpoint.")]
    public async Task Audit_UnusableInput_OneLineExit2(string? previousText, string expected)
    {
        string[] args = previousText is null
            ? ["log", "audit", "--log", Directory.CreateDirectory(Path.Combine(_scratch, "empty")).FullName, "--key", log.VerifierKey]
            : ["log", "audit", "--log", log.Directory, "--key", log.VerifierKey, "--previous", "@" + Write("bad.note", previousText)];

        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliConsole(TextReader.Null, output, error));
        return (code, output.ToString(), error.ToString());
    }

    private static void Flip(string file, int offset)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(file, bytes);
    }

    private async Task Export(InMemoryLogObjectStore store, string path)
    {
        var file = Path.Combine(_scratch, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, (await store.GetAsync(path))!.Content.ToArray());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string CopyLog()
    {
        var target = Path.Combine(_scratch, "log");
        foreach (var file in Directory.GetFiles(log.Directory, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(log.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }
}
