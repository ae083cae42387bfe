using System.CommandLine;
using Azure.Identity;
using Rtgf.Azure.Archives;
using Rtgf.Azure.Audit;
using Rtgf.Azure.Connections;
using Rtgf.Azure.KeyVault;
using Rtgf.Core.Encryption;
using Rtgf.Pipeline.Operations;

namespace Rtgf.Cli.Commands;

/// <summary>
/// `rtgf archive restore &lt;blob&gt; --actor &lt;name&gt; [--out file]` (docs/spec/archives.md#restore): decrypts one session
/// archive from <c>rtgf-archives</c>, appends an <c>archive.restored</c> audit entry naming the actor, then writes the
/// sessions JSON (to --out, else stdout). Storage: --storage (a connection string), else the <c>RtgfStorage</c> settings
/// in the environment as the app reads them. Key: --key-id (the Key Vault key, with the operator's Azure sign-in) or
/// --development-key (a local run's key file). A missing blob, a wrong key or a changed byte: one line, exit 2, nothing written.
/// </summary>
internal static class ArchiveCommands
{
    public static Command Create(CliConsole console, TimeProvider? time = null) => new("archive", "Encrypted session archives.")
    {
        RestoreCommand(console, time ?? CliClock.System),
    };

    private static Command RestoreCommand(CliConsole console, TimeProvider time)
    {
        var blob = new Argument<string>("blob") { Description = "The archive's blob name in the container (sessions/yyyy/MM/dd/<id>.rtgfenc)." };
        var actor = new Option<string>("--actor") { Description = "Who restores (recorded in the audit trail).", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the sessions JSON to this file (refused if it exists) instead of stdout." };
        var storage = new Option<string?>("--storage") { Description = "Storage connection string; default: the RtgfStorage settings in the environment." };
        var container = new Option<string>("--container") { Description = "The archives container.", DefaultValueFactory = _ => OperationsStorage.ArchivesContainer };
        var keyId = new Option<string?>("--key-id") { Description = "The archive key in Key Vault (https://{vault}/keys/{name}); signs in as the operator (Azure CLI, environment or managed identity)." };
        var developmentKey = new Option<string?>("--development-key") { Description = "A local run's archive key file (Archive:DevelopmentKeyPath)." };
        var prefix = new Option<string?>("--table-prefix") { Description = "Prefix of the audit table name (tests)." };
        prefix.Hidden = true;
        var command = new Command("restore", "Decrypt one archive for an operator; the restore is audited.")
        {
            blob, actor, output, storage, container, keyId, developmentKey, prefix,
        };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(console, async () =>
        {
            var who = parse.GetValue(actor)!.Trim();
            if (who.Length is 0 or > 128 || who.Any(char.IsControl))
            {
                throw new ArgumentException("--actor must be a name of 1 to 128 characters without control characters.");
            }

            var outPath = parse.GetValue(output);
            if (outPath is not null && File.Exists(outPath))
            {
                throw new IOException($"--out '{outPath}' exists; choose a new file.");
            }

            var wrapper = Wrapper(parse.GetValue(keyId), parse.GetValue(developmentKey), time);
            var connection = parse.GetValue(storage) is { Length: > 0 } connectionString
                ? StorageConnection.FromConnectionString(connectionString)
                : StorageConnection.FromSettings(Environment.GetEnvironmentVariable);
            var audit = new TableAuditTrail(() => connection.Tables(), parse.GetValue(prefix) ?? string.Empty);
            OpenedArchive opened;
            try
            {
                opened = await ArchiveRestore.RestoreAsync(connection.Blobs().GetBlobContainerClient(parse.GetValue(container)!), parse.GetValue(blob)!, wrapper, audit, who, time, cancellationToken);
            }
            catch (ArchiveDecryptionException e)
            {
                throw new InvalidOperationException("the archive cannot be opened: " + e.Message, e);
            }

            if (outPath is null)
            {
                await console.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(opened.Plaintext));
            }
            else
            {
                await WritePrivateAsync(outPath, opened.Plaintext, cancellationToken);
                await console.Error.WriteLineAsync($"rtgf: restored {parse.GetValue(blob)} ({opened.Header.Metadata.GetValueOrDefault("count", "?")} session(s)) to {outPath}; audited as {who}");
            }

            return CliApp.Valid;
        }));
        return command;
    }

    /// <summary>
    /// Writes the sessions (personal data) readable by the operator only: a temporary file created 0600 beside the target,
    /// then moved into place without overwriting, so no other user ever reads a partial or world-readable file.
    /// </summary>
    private static async Task WritePrivateAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".partial");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            await using (var file = new FileStream(temporary, options))
            {
                await file.WriteAsync(content, cancellationToken);
            }

            File.Move(temporary, full, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static IDataKeyWrapper Wrapper(string? keyId, string? developmentKey, TimeProvider time) =>
        Wrapper(keyId, developmentKey, "--development-key", time);

    /// <summary>The archive key an operator names: --key-id (Key Vault, the operator's Azure sign-in) or a key file; one of them.</summary>
    internal static IDataKeyWrapper Wrapper(string? keyId, string? developmentKey, string keyFileOption, TimeProvider time)
    {
        if (keyId is { Length: > 0 } && developmentKey is { Length: > 0 })
        {
            throw new ArgumentException($"give --key-id or {keyFileOption}, not both.");
        }

        if (keyId is { Length: > 0 })
        {
            return Uri.TryCreate(keyId, UriKind.Absolute, out var uri)
                ? KeyVaultDataKeyWrapper.Create(uri, new DefaultAzureCredential(), time)
                : throw new ArgumentException($"--key-id '{keyId}' is not an absolute Key Vault key URI.");
        }

        if (developmentKey is { Length: > 0 })
        {
            var path = developmentKey.StartsWith('@') ? developmentKey[1..] : developmentKey;
            return File.Exists(path)
                ? LocalDevelopmentKeyWrapper.FromFile(path)
                : throw new FileNotFoundException($"{keyFileOption} '{path}' does not exist.");
        }

        throw new ArgumentException($"give the archive key: --key-id (Key Vault) or {keyFileOption} (a local run's key file).");
    }
}
