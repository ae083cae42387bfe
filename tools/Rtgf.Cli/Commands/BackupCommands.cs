using System.CommandLine;
using System.Globalization;
using Azure.Storage.Blobs;
using Rtgf.Azure.Audit;
using Rtgf.Azure.Backups;
using Rtgf.Azure.Connections;
using Rtgf.Azure.Transparency;
using Rtgf.Cli.Log;
using Rtgf.Pipeline.Audit;
using Rtgf.Pipeline.Operations;
using Rtgf.Transparency.Audit;
using Rtgf.Transparency.Storage;

namespace Rtgf.Cli.Commands;

/// <summary>
/// `rtgf backup list | restore` (docs/runbooks/disaster-recovery.md): the backups the `backup` timer made, and rebuilding a
/// deployment's storage from one. A restore verifies every part (hash and authentication) before it writes anything,
/// refuses a target that holds data unless --force, audits the restored log as `rtgf log audit` does, and appends a
/// `backup.restored` entry to the target's audit trail. Exit 0 restored and clean, 1 restored but the log audit failed,
/// 2 refused (bad input, a changed backup, a non-empty target), with one line saying why.
/// </summary>
internal static class BackupCommands
{
    public const string SourceVariable = "RtgfBackupStorage";
    public const string TargetVariable = "RtgfStorage";

    /// <summary>The identity-based connection settings (as the app reads them) that make a connection without a connection string.</summary>
    private static readonly string[] IdentitySettings = ["__blobServiceUri", "__tableServiceUri", "__accountName"];

    public static Command Create(CliConsole console) => new("backup", "List backups and restore a deployment's storage from one.")
    {
        ListCommand(console),
        RestoreCommand(console),
    };

    private static Option<string?> SourceOption() =>
        new("--source") { Description = $"The storage holding container {OperationsStorage.BackupsContainer}: a connection string or @file (default: ${SourceVariable})." };

    private static Command ListCommand(CliConsole console)
    {
        var source = SourceOption();
        var command = new Command("list", "Print the finished backups (those with a manifest), oldest first.") { source };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(console, async () =>
        {
            var container = Connection(parse.GetValue(source), SourceVariable, "--source").Blobs().GetBlobContainerClient(OperationsStorage.BackupsContainer);
            foreach (var id in await BackupCatalog.ListAsync(container, cancellationToken))
            {
                await console.Out.WriteLineAsync(id);
            }

            return CliApp.Valid;
        }));
        return command;
    }

    private static Command RestoreCommand(CliConsole console)
    {
        var backup = new Option<string>("--backup") { Description = "The backup: its date (yyyy-MM-dd) or its manifest (yyyy-MM-dd/manifest).", Required = true };
        var actor = new Option<string>("--actor") { Description = "Who restores (recorded in the audit trail).", Required = true };
        var source = SourceOption();
        var target = new Option<string?>("--target") { Description = $"The storage to rebuild: a connection string or @file (default: ${TargetVariable})." };
        var archiveKey = new Option<string?>("--archive-key") { Description = "@file: a local run's archive key file (Archive:DevelopmentKeyPath, raw or base64) that sealed the backup." };
        var keyId = new Option<string?>("--key-id") { Description = "The archive key in Key Vault (https://{vault}/keys/{name}) that sealed the backup; signs in as the operator (Azure CLI, environment or managed identity)." };
        var logKey = new Option<string>("--log-key") { Description = "The log's verifier key (<name>+<hex id>+<base64>), inline or @file: the restored log is audited with it.", Required = true };
        var logContainer = new Option<string>("--log-container") { Description = "The log's container.", DefaultValueFactory = _ => "rtgf-log" };
        var force = new Option<bool>("--force") { Description = "Restore into storage that already holds tables or containers (also: to complete a restore that stopped)." };
        var command = new Command("restore", "Verify a backup whole, then rebuild tables and blobs from it and audit the restored log.")
        {
            backup, actor, source, target, archiveKey, keyId, logKey, logContainer, force,
        };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(console, async () =>
        {
            var id = BackupCatalog.ParseId(parse.GetValue(backup)!);
            var who = parse.GetValue(actor)!.Trim();
            if (who.Length is 0 or > 128 || who.Any(char.IsControl))
            {
                throw new ArgumentException("--actor must be a name of 1 to 128 characters without control characters.");
            }

            var vkey = LogArguments.VerifierKey(parse.GetValue(logKey)!);
            var wrapper = ArchiveCommands.Wrapper(parse.GetValue(keyId), parse.GetValue(archiveKey), "--archive-key", CliClock.System);
            var backups = Connection(parse.GetValue(source), SourceVariable, "--source").Blobs().GetBlobContainerClient(OperationsStorage.BackupsContainer);
            var into = Connection(parse.GetValue(target), TargetVariable, "--target");
            var tables = into.Tables();
            var blobs = into.Blobs();
            var restore = new StorageRestore(backups, wrapper);

            // Everything is read and checked before the first write.
            var manifest = await restore.VerifyAsync(id, cancellationToken);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"verified: backup {id}: {manifest.Tables.Count} tables ({manifest.Tables.Sum(t => t.Rows)} rows), {manifest.Blobs.Count} blobs, {manifest.AllParts().Count()} parts, checkpoint size {manifest.Checkpoint?.Size ?? 0}"));
            if (!parse.GetValue(force) && await StorageRestore.OccupiedAsync(tables, blobs, cancellationToken) is { Count: > 0 } occupied)
            {
                throw new InvalidOperationException($"the target is not empty ({string.Join(", ", occupied.Take(5))}{(occupied.Count > 5 ? ", …" : "")}): give --force to restore over it.");
            }

            var outcome = await restore.RestoreAsync(manifest, tables, blobs, cancellationToken);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"restored: {outcome.Tables} tables, {outcome.Rows} rows, {outcome.Blobs} blobs"));

            var clean = await AuditLogAsync(console, manifest, blobs.GetBlobContainerClient(parse.GetValue(logContainer)!), vkey, cancellationToken);
            var at = CliClock.System.GetUtcNow();
            await new TableAuditTrail(() => tables).AppendAsync(new AuditEntry(
                "backup.restored:" + id + ":" + at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                at,
                who,
                AuditActions.BackupRestored,
                id,
                new Dictionary<string, string>
                {
                    ["tables"] = outcome.Tables.ToString(CultureInfo.InvariantCulture),
                    ["rows"] = outcome.Rows.ToString(CultureInfo.InvariantCulture),
                    ["blobs"] = outcome.Blobs.ToString(CultureInfo.InvariantCulture),
                    ["checkpointSize"] = (manifest.Checkpoint?.Size ?? 0).ToString(CultureInfo.InvariantCulture),
                    ["logAudit"] = clean ? "clean" : "findings",
                }), cancellationToken);
            return clean ? CliApp.Valid : CliApp.Invalid;
        }));
        return command;
    }

    /// <summary>The audit `rtgf log audit` runs, over the restored container; and the restored checkpoint must be the backup's.</summary>
    private static async Task<bool> AuditLogAsync(CliConsole console, BackupManifest manifest, BlobContainerClient container, Rtgf.Transparency.Checkpoints.NoteVerifierKey vkey, CancellationToken cancellationToken)
    {
        if (manifest.Checkpoint is not { } expected)
        {
            await console.Out.WriteLineAsync("log: the backup holds no checkpoint (nothing was published); nothing to audit");
            return true;
        }

        var store = new BlobLogObjectStore(container);
        var report = await new LogAuditor(new StoreObjectSource(store), [vkey], vkey.Name, store).AuditAsync(null, cancellationToken);
        var same = report.HasCheckpoint && report.Size == expected.Size && report.RootHash == expected.RootHash;
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"log: origin {report.Origin}, size {report.Size}, root {report.RootHash}; checked {report.EntriesChecked} entries, {report.TilesChecked} tiles"));
        foreach (var finding in report.Findings)
        {
            await console.Out.WriteLineAsync(finding.ToString().ReplaceLineEndings(" "));
        }

        if (!same)
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"invalid: the restored checkpoint is not the backup's (size {expected.Size}, root {expected.RootHash})"));
        }

        var clean = report.IsClean && same;
        await console.Out.WriteLineAsync(clean ? "clean: the restored tiles and entries prove the backup's signed checkpoint" : "not clean: see docs/runbooks/log-recovery.md");
        return clean;
    }

    /// <summary>
    /// The storage an option names (a connection string or @file), else the variable as a connection string, else the
    /// identity settings the app reads (<c>{name}__blobServiceUri</c> etc.: Azure accounts have shared keys off).
    /// </summary>
    internal static StorageConnection Connection(string? value, string variable, string option, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var text = value ?? environment(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (IdentitySettings.Any(key => environment(variable + key) is { Length: > 0 }))
            {
                return StorageConnection.FromSettings(environment, variable);
            }

            throw new ArgumentException($"{option} is missing and neither ${variable} nor {variable}__blobServiceUri/__tableServiceUri/__accountName is set: give a storage connection string or @file.");
        }

        return StorageConnection.FromConnectionString(text.StartsWith('@') ? File.ReadAllText(text[1..]).Trim() : text);
    }
}
