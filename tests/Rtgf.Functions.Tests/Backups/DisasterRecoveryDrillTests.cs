extern alias cli;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Backups;
using Rtgf.Core.Encryption;
using Rtgf.Functions.Tests.Support;
using Rtgf.Functions.Workers;
using Rtgf.Pipeline.Operations;
using Rtgf.Pipeline.Registry;
using Rtgf.Testing;
using Rtgf.Transparency.Checkpoints;
using CliApp = cli::Rtgf.Cli.CliApp;
using CliConsole = cli::Rtgf.Cli.CliConsole;

namespace Rtgf.Functions.Tests.Backups;

/// <summary>
/// The disaster-recovery drill (docs/runbooks/disaster-recovery.md#the-drill), run in CI: a build published for real, the
/// <c>backup</c> function, every table, container and queue of the storage account deleted, <c>rtgf backup restore</c>,
/// then <c>rtgf log audit</c> over the app's <c>/log</c> passes, <c>/verify</c> accepts the tokens published before the
/// disaster, and the next publication continues the same log: same origin, and a consistency proof from the pre-disaster
/// checkpoint verifies. The app's storage is an Azurite of its own (the wipe takes all of it); backups live on a second.
/// </summary>
public sealed class DisasterRecoveryDrillTests(DisasterRecoveryDrillTests.DrillFixture drill) : IClassFixture<DisasterRecoveryDrillTests.DrillFixture>
{
    [Fact]
    public async Task Drill_PublishBackupWipeRestore_ThenTheLogAuditsTheOldTokensVerifyAndTheNextPublicationContinuesTheLog()
    {
        // Before the disaster: a publication, and the checkpoint consumers have seen.
        var before = SignedNote.Parse((await drill.Store.GetAsync("checkpoint"))!.Content.Span);
        var checkpoint = Checkpoint.Parse(before.Text);
        var tokens = new List<RegisteredToken>();
        foreach (var compiled in drill.Published)
        {
            tokens.Add(await drill.TokenRegistry.GetAsync(compiled.TokenId) ?? throw new InvalidOperationException("not registered"));
        }

        var backup = await ActivatorUtilities.CreateInstance<BackupFunction>(drill.Services).RunAsync(CancellationToken.None);
        Assert.True(backup.Created);

        // The disaster: the account loses everything.
        await drill.WipeAsync();
        Assert.Empty(await StorageRestore.OccupiedAsync(drill.Azurite.TableService(), drill.Azurite.BlobService()));

        // The negative control: without the restore the log is gone.
        using (var lost = drill.CreateClient())
        {
            using var checkpointGone = await lost.GetAsync("/log/checkpoint");
            Assert.True(checkpointGone.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.ServiceUnavailable, checkpointGone.StatusCode.ToString()); // the log's container is gone: 503
        }

        var restore = await CliAsync(
            "backup", "restore", "--backup", backup.Id, "--actor", "dr-drill", "--source", drill.BackupAzurite.ConnectionString,
            "--target", drill.Azurite.ConnectionString, "--archive-key", "@" + drill.KeyPath, "--log-key", drill.VerifierKey, "--log-container", drill.Prefix + "log");
        Assert.True(restore.Code == 0, restore.Output + restore.Error);

        var audit = await CliAsync("log", "audit", "--log", "http://localhost/log/", "--key", drill.VerifierKey);
        Assert.True(audit.Code == 0, audit.Output + audit.Error);
        Assert.Contains("size: " + checkpoint.Size.ToString(CultureInfo.InvariantCulture), audit.Output, StringComparison.Ordinal);

        using var client = drill.CreateClient();
        foreach (var token in tokens)
        {
            using var response = await client.PostAsJsonAsync("/verify", new { token = token.Jws });
            var verdict = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(verdict["valid"]!.GetValue<bool>(), verdict.ToJsonString());
        }

        // After: the next publication appends to the same log.
        var next = await drill.PublishNextAsync();
        var after = Checkpoint.Parse(SignedNote.Parse((await drill.Store.GetAsync("checkpoint"))!.Content.Span).Text);
        Assert.Equal(checkpoint.Origin, after.Origin);
        Assert.True(after.Size > checkpoint.Size);
        Assert.Equal(after.Size, next.TreeSize);
        var consistency = await CliAsync(
            "log", "verify-consistency", "--log", "http://localhost/log/", "--key", drill.VerifierKey,
            "--old-size", checkpoint.Size.ToString(CultureInfo.InvariantCulture), "--old-root", checkpoint.RootHashBase64);
        Assert.True(consistency.Code == 0, consistency.Output + consistency.Error);
        var audited = await CliAsync("log", "audit", "--log", "http://localhost/log/", "--key", drill.VerifierKey, "--previous", "@" + drill.SaveNote(before.ToString()));
        Assert.True(audited.Code == 0, audited.Output + audited.Error);
    }

    private async Task<(int Code, string Output, string Error)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var handler = drill.CreateHandler();
        var code = await CliApp.RunAsync(args, new CliConsole(TextReader.Null, output, error, handler));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The app on an Azurite of its own, a second Azurite for backups, the archive key in a file, one build published.</summary>
    public sealed class DrillFixture() : StoredAppFixture(IssuedAt.AddDays(1))
    {
        public const string Family = "rto-registration";
        public static readonly DateTimeOffset IssuedAt = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        private readonly string _directory = Path.Combine(Path.GetTempPath(), "rtgf-drill-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        private AzuriteFixture? _own;

        public AzuriteFixture BackupAzurite { get; } = new();

        public string KeyPath => Path.Combine(_directory, "archive.key");

        public List<Rtgf.Compiler.CompiledToken> Published { get; } = [];

        public override async Task InitializeAsync()
        {
            Directory.CreateDirectory(_directory);
            await File.WriteAllBytesAsync(KeyPath, System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("drill-archive-key")));
            await BackupAzurite.InitializeAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (_own is not null)
            {
                await _own.DisposeAsync();
            }

            await BackupAzurite.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }

        /// <summary>Publishes the tokens so far and one more, as a later build does.</summary>
        public Task<Publication> PublishNextAsync()
        {
            Published.Add(Compile("rto:" + (10000 + Published.Count).ToString(CultureInfo.InvariantCulture)));
            return PublishAsync(TestBuilds.Build([.. Published]));
        }

        /// <summary>Deletes every table, container and queue of the account.</summary>
        public async Task WipeAsync()
        {
            await foreach (var table in Azurite.TableService().QueryAsync())
            {
                await Azurite.TableService().DeleteTableAsync(table.Name);
            }

            await foreach (var container in Azurite.BlobService().GetBlobContainersAsync())
            {
                await Azurite.BlobService().DeleteBlobContainerAsync(container.Name);
            }

            await foreach (var queue in Azurite.QueueService().GetQueuesAsync())
            {
                await Azurite.QueueService().DeleteQueueAsync(queue.Name);
            }
        }

        public string SaveNote(string note)
        {
            var path = Path.Combine(_directory, "before.note");
            File.WriteAllText(path, note);
            return path;
        }

        protected override async Task<AzuriteFixture> AzuriteAsync()
        {
            _own = new AzuriteFixture();
            await _own.InitializeAsync();
            return _own;
        }

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Archive:DevelopmentKeyPath"] = KeyPath,

            // The development archive key is refused outside Development (DevelopmentOnly), as the local runner's host sets it.
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["Traffic:Enabled"] = "false", // the drill wipes the account; a traffic writer would recreate its table before the restore
            ["RtgfBackupStorage"] = BackupAzurite.ConnectionString,
        };

        /// <summary>
        /// The backup as <c>BackupServices</c> composes it (the app's tables, blobs and archive key; <c>rtgf-backups</c> on
        /// <c>RtgfBackupStorage</c>), built here only because this fixture's log container carries a prefix and the app's is
        /// <c>rtgf-log</c>; <see cref="BackupCompositionTests"/> checks the app's own composition.
        /// </summary>
        protected override void ConfigureStoredServices(IServiceCollection services)
        {
            services.RemoveAll<StorageBackup>();
            services.AddSingleton(sp => new StorageBackup(
                sp.GetRequiredService<global::Azure.Data.Tables.TableServiceClient>(),
                sp.GetRequiredService<global::Azure.Storage.Blobs.BlobServiceClient>(),
                BackupAzurite.BlobService().GetBlobContainerClient(OperationsStorage.BackupsContainer),
                sp.GetRequiredService<IDataKeyWrapper>(),
                sp.GetRequiredService<TimeProvider>(),
                Prefix + "log"));
        }

        protected override async Task SeedAsync()
        {
            for (var i = 0; i < 4; i++)
            {
                Published.Add(Compile("rto:" + (10000 + i).ToString(CultureInfo.InvariantCulture)));
            }

            await PublishAsync(TestBuilds.Build([.. Published]));
        }

        private static Rtgf.Compiler.CompiledToken Compile(string subject) =>
            TestBuilds.Token(BaseUrl, Family, subject, $"{{\"code\":\"{subject}\",\"status\":\"current\"}}", IssuedAt, IssuedAt.AddDays(365));
    }
}
