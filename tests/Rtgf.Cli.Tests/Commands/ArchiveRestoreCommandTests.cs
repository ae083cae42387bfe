using Azure.Data.Tables;
using Rtgf.Azure.Archives;
using Rtgf.Azure.Sessions;
using Rtgf.Core.Encryption;
using Rtgf.Pipeline.Operations;
using Rtgf.Pipeline.Sessions;
using Rtgf.Testing;

namespace Rtgf.Cli.Tests.Commands;

/// <summary>
/// `rtgf archive restore` against Azurite: it writes the sessions JSON and audits the actor; a wrong key, a flipped bit,
/// a missing blob or a missing key is one line on stderr, exit 2, and no file and no audit entry.
/// </summary>
public sealed class ArchiveRestoreCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] KeyBytes = Enumerable.Repeat((byte)9, 32).ToArray();

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rtgf-restore");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Restore_WritesTheSessionsJson_AndAuditsTheActor()
    {
        var (prefix, name, keyPath) = await ArchiveAsync();
        var outPath = Path.Combine(_directory.FullName, "restored.json");

        var (exit, output, error) = await RunAsync(["archive", "restore", name, "--actor", "alice@ops", "--out", outPath, "--storage", azurite.ConnectionString, "--container", prefix + OperationsStorage.ArchivesContainer, "--development-key", keyPath, "--table-prefix", prefix]);

        Assert.Equal((CliApp.Valid, string.Empty), (exit, output));
        Assert.Contains("audited as alice@ops", error, StringComparison.Ordinal);
        Assert.Contains("\"subject\":\"ops@example.org\"", await File.ReadAllTextAsync(outPath), StringComparison.Ordinal);
        var audit = Assert.Single(await AuditAsync(prefix));
        Assert.Equal(("alice@ops", "archive.restored", name), (audit.GetString("Actor"), audit.GetString("Action"), audit.GetString("Subject")));
    }

    [Fact]
    public async Task Restore_ToAFile_IsReadableByTheOperatorOnly_AndLeavesNoPartialFile()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("CI runs on Linux; file modes are checked there.");
        }

        var (prefix, name, keyPath) = await ArchiveAsync();
        var outPath = Path.Combine(_directory.FullName, "private.json");

        var (exit, _, error) = await RunAsync(["archive", "restore", name, "--actor", "alice@ops", "--out", outPath, "--storage", azurite.ConnectionString, "--container", prefix + OperationsStorage.ArchivesContainer, "--development-key", keyPath, "--table-prefix", prefix]);

        Assert.True(exit == CliApp.Valid, error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(outPath));
        Assert.Equal(["private.json"], _directory.GetFiles().Select(f => f.Name).Where(n => n.Contains("private", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("alice\u001b[2J")]
    [InlineData("bob\nforged line")]
    public async Task Restore_AnActorWithControlCharacters_IsRefusedAndAuditsNothing(string actor)
    {
        var (prefix, name, keyPath) = await ArchiveAsync();

        var (exit, output, error) = await RunAsync(["archive", "restore", name, "--actor", actor, "--storage", azurite.ConnectionString, "--container", prefix + OperationsStorage.ArchivesContainer, "--development-key", keyPath, "--table-prefix", prefix]);

        Assert.Equal(CliApp.Failed, exit);
        Assert.Equal("rtgf: --actor must be a name of 1 to 128 characters without control characters.", error.TrimEnd());
        Assert.Empty(output);
        Assert.Empty(await AuditAsync(prefix));
    }

    [Fact]
    public async Task Restore_ToStdout_PrintsTheSessionsJson()
    {
        var (prefix, name, keyPath) = await ArchiveAsync();

        var (exit, output, _) = await RunAsync(["archive", "restore", name, "--actor", "bob", "--storage", azurite.ConnectionString, "--container", prefix + OperationsStorage.ArchivesContainer, "--development-key", keyPath, "--table-prefix", prefix]);

        Assert.Equal(CliApp.Valid, exit);
        Assert.StartsWith("[{\"id\":", output, StringComparison.Ordinal);
    }

    public static TheoryData<string> Failures => ["wrong-key", "flipped-bit", "missing-blob", "no-key", "no-actor"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Restore_Failure_IsOneLine_ExitTwo_NothingWritten_NothingAudited(string failure)
    {
        var (prefix, name, keyPath) = await ArchiveAsync();
        var outPath = Path.Combine(_directory.FullName, "restored.json");
        var container = azurite.BlobService().GetBlobContainerClient(prefix + OperationsStorage.ArchivesContainer);
        if (failure == "wrong-key")
        {
            await File.WriteAllBytesAsync(keyPath, new byte[32]);
        }
        else if (failure == "flipped-bit")
        {
            var bytes = (await container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();
            bytes[bytes.Length / 2] ^= 0x40;
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
        }

        string[] args = ["archive", "restore", failure == "missing-blob" ? "sessions/2026/12/05/none.rtgfenc" : name, "--out", outPath, "--storage", azurite.ConnectionString, "--container", prefix + OperationsStorage.ArchivesContainer, "--table-prefix", prefix];
        if (failure != "no-key")
        {
            args = [.. args, "--development-key", keyPath];
        }

        if (failure != "no-actor")
        {
            args = [.. args, "--actor", "mallory"];
        }

        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(CliApp.Failed, exit);
        Assert.Empty(output);
        Assert.StartsWith("rtgf: ", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));
        Assert.Empty(await AuditAsync(prefix));
    }

    private async Task<(string Prefix, string Name, string KeyPath)> ArchiveAsync()
    {
        var prefix = azurite.UniqueName("cli");
        var keyPath = Path.Combine(_directory.FullName, prefix + ".key");
        await File.WriteAllBytesAsync(keyPath, KeyBytes);
        var clock = new ManualTimeProvider(Start);
        var store = new TableSessionStore(() => azurite.TableService(), clock, prefix);
        var (_, session) = await store.StartAsync("ops@example.org", SessionKinds.MagicLink, TimeSpan.FromMinutes(5));
        clock.Advance(TimeSpan.FromHours(1));
        await new SessionArchiver(() => azurite.TableService(), () => azurite.BlobService(), new LocalDevelopmentKeyWrapper(KeyBytes), clock, prefix: prefix).RunAsync();
        return (prefix, SessionArchiver.BlobName(session), keyPath);
    }

    private async Task<List<TableEntity>> AuditAsync(string prefix)
    {
        var table = azurite.TableService().GetTableClient(prefix + OperationsStorage.AuditTable);
        await table.CreateIfNotExistsAsync();
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (row.RowKey.StartsWith("e-", StringComparison.Ordinal))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliConsole(new StringReader(string.Empty), output, error));
        return (exit, output.ToString(), error.ToString());
    }
}
