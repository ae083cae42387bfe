using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rtgf.Core.Signing;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Cli.Tests.Log;

public sealed class LogCommandsTests(LogFixture log) : IClassFixture<LogFixture>, IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("rtgf-cli-scratch-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Checkpoint_Directory_PrintsOriginSizeRoot()
    {
        var (code, output, error) = await RunAsync("log", "checkpoint", "--log", log.Directory, "--key", log.VerifierKey);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal($"origin: {LogFixture.Origin}\nsize: 700\nroot: {log.Second.Checkpoint.RootHashBase64}\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Checkpoint_KeyFromFile_Valid()
    {
        var keyFile = Write("key.vkey", log.VerifierKey + "\n");

        var (code, _, _) = await RunAsync("log", "checkpoint", "--log", log.Directory, "--key", "@" + keyFile);

        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Checkpoint_OtherKey_InvalidExit1()
    {
        using var other = LocalDevelopmentSigner.Create();
        var otherKey = NoteVerifierKey.ForEcdsa(LogFixture.Origin, other.PublicKey).ToString();

        var (code, output, _) = await RunAsync("log", "checkpoint", "--log", log.Directory, "--key", otherKey);

        Assert.Equal(1, code);
        Assert.Equal("invalid: no signature from a known key", output.Trim());
    }

    [Fact]
    public async Task Checkpoint_TamperedSize_InvalidExit1()
    {
        var dir = CopyLog();
        var path = Path.Combine(dir, "checkpoint");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\n700\n", "\n701\n", StringComparison.Ordinal));

        var (code, output, _) = await RunAsync("log", "checkpoint", "--log", dir, "--key", log.VerifierKey);

        Assert.Equal(1, code);
        Assert.StartsWith("invalid: the signature by", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--log", "/no/such/log/dir", "rtgf: --log '/no/such/log/dir' is neither")]
    [InlineData("--key", "not-a-vkey", "rtgf: --key: A verifier key is")]
    [InlineData("--key", "@/no/such.vkey", "rtgf: --key: file '/no/such.vkey' does not exist.")]
    public async Task Checkpoint_BadInput_OneLineExit2(string option, string value, string expected)
    {
        string[] args = ["log", "checkpoint", "--log", log.Directory, "--key", log.VerifierKey];
        args[Array.IndexOf(args, option) + 1] = value;

        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Checkpoint_EmptyDirectory_Exit2()
    {
        var (code, output, error) = await RunAsync("log", "checkpoint", "--log", _scratch, "--key", log.VerifierKey);

        Assert.Equal("", output);
        Assert.Equal(2, code);
        Assert.Equal("rtgf: the log has no checkpoint.", error.Trim());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(299)]
    [InlineData(300)]
    [InlineData(699)]
    public async Task VerifyInclusion_EntryFileAgainstLog_Valid(int index)
    {
        var entry = Write("entry.json", log.Entries[index].ToArray());

        var (code, output, _) = await RunAsync("log", "verify-inclusion", "--log", log.Directory, "--key", log.VerifierKey, "--index", I(index), "--entry", "@" + entry);

        Assert.Equal(0, code);
        Assert.Equal($"valid: entry {index} is included in the tree of size 700", output.Trim());
    }

    [Fact]
    public async Task VerifyInclusion_WrongEntry_InvalidExit1()
    {
        var entry = Write("entry.json", log.Entries[5].ToArray());

        var (code, output, _) = await RunAsync("log", "verify-inclusion", "--log", log.Directory, "--key", log.VerifierKey, "--index", "6", "--entry", "@" + entry);

        Assert.Equal(1, code);
        Assert.Equal("invalid: the inclusion proof does not lead to the root", output.Trim());
    }

    [Fact]
    public async Task VerifyInclusion_LeafHashOrLogsOwnEntry_Valid()
    {
        var leaf = Convert.ToBase64String(MerkleHash.Leaf(log.Entries[42].Span));

        Assert.Equal(0, (await RunAsync("log", "verify-inclusion", "--log", log.Directory, "--key", log.VerifierKey, "--index", "42", "--leaf-hash", leaf)).Code);
        Assert.Equal(0, (await RunAsync("log", "verify-inclusion", "--log", log.Directory, "--key", log.VerifierKey, "--index", "42")).Code);
    }

    [Fact]
    public async Task VerifyInclusion_IndexBeyondCheckpoint_Invalid()
    {
        var (code, output, _) = await RunAsync("log", "verify-inclusion", "--log", log.Directory, "--key", log.VerifierKey, "--index", "700");

        Assert.Equal(1, code);
        Assert.Equal("invalid: index 700 is beyond the checkpoint's tree size 700", output.Trim());
    }

    [Fact]
    public async Task VerifyInclusion_TileMissingFromLog_Invalid()
    {
        var dir = CopyLog();
        File.Delete(Path.Combine(dir, "tile", "0", "000"));

        var (code, output, _) = await RunAsync("log", "verify-inclusion", "--log", dir, "--key", log.VerifierKey, "--index", "3");

        Assert.Equal(1, code);
        Assert.StartsWith("invalid: the log cannot serve the proof: The log object 'tile/0/000' is missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyInclusion_ProofFiles_ValidAndTampered()
    {
        var reader = new LogReader(new StoreObjectSource(log.Store));
        var proof = await reader.GetInclusionProofAsync(123, 300);
        var proofFile = Write("proof.txt", string.Join('\n', proof.Select(Convert.ToBase64String)));
        var entry = Write("entry.json", log.Entries[123].ToArray());
        string[] args = ["log", "verify-inclusion", "--index", "123", "--entry", "@" + entry, "--proof", "@" + proofFile, "--root", log.First.Checkpoint.RootHashBase64, "--size", "300"];

        Assert.Equal(0, (await RunAsync(args)).Code);

        var jsonProof = Write("proof.json", "[" + string.Join(',', proof.Reverse().Select(h => "\"" + Convert.ToBase64String(h) + "\"")) + "]");
        args[Array.IndexOf(args, "@" + proofFile)] = "@" + jsonProof;
        var (code, output, _) = await RunAsync(args);
        Assert.Equal(1, code);
        Assert.StartsWith("invalid:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--root")]
    [InlineData("--size")]
    public async Task VerifyInclusion_ProofWithoutRootOrSize_Exit2(string missing)
    {
        var proofFile = Write("proof.txt", Convert.ToBase64String(new byte[32]));
        var args = new List<string> { "log", "verify-inclusion", "--index", "0", "--leaf-hash", Convert.ToBase64String(new byte[32]), "--proof", "@" + proofFile, "--root", Convert.ToBase64String(new byte[32]), "--size", "2" };
        var at = args.IndexOf(missing);
        args.RemoveRange(at, 2);

        var (code, _, error) = await RunAsync([.. args]);

        Assert.Equal(2, code);
        Assert.Equal($"rtgf: --proof needs {missing}.", error.Trim());
    }

    [Fact]
    public async Task VerifyInclusion_NoLogNoProof_Exit2()
    {
        var (code, _, error) = await RunAsync("log", "verify-inclusion", "--index", "1");

        Assert.Equal(2, code);
        Assert.StartsWith("rtgf: give --log and --key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyInclusion_IndexNotANumber_Exit2()
    {
        var (code, _, error) = await RunAsync("log", "verify-inclusion", "--log", log.Directory, "--key", log.VerifierKey, "--index", "ten");

        Assert.Equal(2, code);
        Assert.StartsWith("rtgf: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyConsistency_FromLog_ValidForTheOldCheckpoint()
    {
        var (code, output, _) = await RunAsync("log", "verify-consistency", "--log", log.Directory, "--key", log.VerifierKey, "--old-size", "300", "--old-root", log.First.Checkpoint.RootHashBase64);

        Assert.Equal(0, code);
        Assert.Equal("valid: the tree of size 700 is consistent with the tree of size 300", output.Trim());
    }

    [Fact]
    public async Task VerifyConsistency_ForkedOldRoot_Invalid()
    {
        var forked = Convert.ToBase64String(MerkleHash.Leaf([1, 2, 3]));

        var (code, output, _) = await RunAsync("log", "verify-consistency", "--log", log.Directory, "--key", log.VerifierKey, "--old-size", "300", "--old-root", forked);

        Assert.Equal(1, code);
        Assert.Equal("invalid: the consistency proof does not lead to the old root", output.Trim());
    }

    [Fact]
    public async Task VerifyConsistency_OldSizeZeroOrBadRoot_Exit2()
    {
        var zero = await RunAsync("log", "verify-consistency", "--log", log.Directory, "--key", log.VerifierKey, "--old-size", "0", "--old-root", log.First.Checkpoint.RootHashBase64);
        var badRoot = await RunAsync("log", "verify-consistency", "--log", log.Directory, "--key", log.VerifierKey, "--old-size", "3", "--old-root", "AAAA");

        Assert.Equal(2, zero.Code);
        Assert.StartsWith("rtgf: --old-size must be at least 1", zero.Error, StringComparison.Ordinal);
        Assert.Equal(2, badRoot.Code);
        Assert.Equal("rtgf: --old-root has 3 bytes; a SHA-256 hash has 32.", badRoot.Error.Trim());
    }

    [Fact]
    public async Task VerifyConsistency_ProofFiles_ValidThenWrongNewRoot()
    {
        var reader = new LogReader(new StoreObjectSource(log.Store));
        var proof = await reader.GetConsistencyProofAsync(300, 700);
        var proofFile = Write("consistency.txt", string.Join('\n', proof.Select(Convert.ToBase64String)));
        string[] args = ["log", "verify-consistency", "--old-size", "300", "--old-root", log.First.Checkpoint.RootHashBase64, "--proof", "@" + proofFile, "--new-size", "700", "--new-root", log.Second.Checkpoint.RootHashBase64];

        Assert.Equal(0, (await RunAsync(args)).Code);

        args[^1] = log.First.Checkpoint.RootHashBase64;
        var (code, output, _) = await RunAsync(args);
        Assert.Equal(1, code);
        Assert.Equal("invalid: the consistency proof does not lead to the new root", output.Trim());
    }

    [Fact]
    public async Task AllCommands_OverHttpFromKestrel_ValidAndMissingLogIs404()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/logs/main/{**path}", async (string path, HttpContext context) =>
        {
            var stored = await log.Store.GetAsync(path);
            if (stored is null)
            {
                return Results.NotFound();
            }

            return Results.Bytes(stored.Content.ToArray(), path == "checkpoint" ? "text/plain; charset=utf-8" : "application/octet-stream");
        });
        await app.StartAsync();
        var baseUrl = app.Urls.Single() + "/logs/main";

        var checkpoint = await RunAsync("log", "checkpoint", "--log", baseUrl, "--key", log.VerifierKey);
        var inclusion = await RunAsync("log", "verify-inclusion", "--log", baseUrl + "/", "--key", log.VerifierKey, "--index", "512");
        var consistency = await RunAsync("log", "verify-consistency", "--log", baseUrl, "--key", log.VerifierKey, "--old-size", "300", "--old-root", log.First.Checkpoint.RootHashBase64);
        var missing = await RunAsync("log", "checkpoint", "--log", app.Urls.Single() + "/logs/none", "--key", log.VerifierKey);
        var audit = await RunAsync("log", "audit", "--log", baseUrl, "--key", log.VerifierKey);

        Assert.Equal((0, ""), (checkpoint.Code, checkpoint.Error));
        Assert.Contains("size: 700", checkpoint.Output, StringComparison.Ordinal);
        Assert.Equal(0, inclusion.Code);
        Assert.Equal(0, consistency.Code);
        Assert.Equal((2, "rtgf: the log has no checkpoint."), (missing.Code, missing.Error.Trim()));
        Assert.Equal(0, audit.Code);
        Assert.Contains("checked: 700 entries, 4 tiles, 0 stored partials", audit.Output, StringComparison.Ordinal); // HTTP cannot list
    }

    private static string I(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliConsole(TextReader.Null, output, error));
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllBytes(path, bytes);
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
