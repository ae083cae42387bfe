using System.CommandLine;
using System.Globalization;
using Rtgf.Cli.Log;
using Rtgf.Transparency.Audit;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Cli.Commands;

/// <summary>
/// `rtgf log checkpoint | verify-inclusion | verify-consistency | audit`: checks a transparency log served over HTTP or laid
/// out in a directory (tlog-tiles paths), or proofs given as files. Exit 0 valid, 1 invalid (with the reason), 2 unusable input.
/// </summary>
internal static class LogCommands
{
    public static Command Create(CliConsole console) => new("log", "Check a transparency log: its checkpoint, inclusion and consistency proofs.")
    {
        CheckpointCommand(console),
        InclusionCommand(console),
        ConsistencyCommand(console),
        AuditCommand(console),
    };

    private static Option<string> LogOption(bool required) =>
        new("--log") { Description = "The log: a base URL serving <base>/checkpoint and <base>/tile/..., or a directory laid out the same way.", Required = required };

    private static Option<string> KeyOption(bool required) =>
        new("--key") { Description = "The log's verifier key (<name>+<hex id>+<base64>), inline or @file.", Required = required };

    private static Command CheckpointCommand(CliConsole console)
    {
        var log = LogOption(true);
        var key = KeyOption(true);
        var command = new Command("checkpoint", "Fetch <log>/checkpoint, verify its signature and print origin, size and root.") { log, key };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(console, async () =>
        {
            using var connection = LogArguments.OpenLog(parse.GetValue(log)!, console);
            var (check, checkpoint) = await LogCheck.CheckpointAsync(connection.Source, LogArguments.VerifierKey(parse.GetValue(key)!), cancellationToken);
            if (!check.IsValid)
            {
                return await InvalidAsync(console, check);
            }

            await console.Out.WriteLineAsync("origin: " + checkpoint!.Origin);
            await console.Out.WriteLineAsync("size: " + checkpoint.Size.ToString(CultureInfo.InvariantCulture));
            await console.Out.WriteLineAsync("root: " + checkpoint.RootHashBase64);
            return CliApp.Valid;
        }));
        return command;
    }

    private static Command InclusionCommand(CliConsole console)
    {
        var log = LogOption(false);
        var key = KeyOption(false);
        var index = new Option<long>("--index") { Description = "The entry's index in the log.", Required = true };
        var entry = new Option<string?>("--entry") { Description = "@file holding the entry's bytes (hashed as an RFC 6962 leaf)." };
        var leafHash = new Option<string?>("--leaf-hash") { Description = "The entry's leaf hash, base64." };
        var proof = new Option<string?>("--proof") { Description = "@file with the proof hashes (JSON array or one base64 per line); checks offline with --root and --size." };
        var root = new Option<string?>("--root") { Description = "With --proof: the tree's root hash, base64." };
        var size = new Option<long?>("--size") { Description = "With --proof: the tree size." };
        var command = new Command("verify-inclusion", "Check that an entry is in the log (from the log's tiles, or from a proof file).")
        {
            log, key, index, entry, leafHash, proof, root, size,
        };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(console, async () =>
        {
            var i = parse.GetValue(index);
            if (i < 0)
            {
                throw new ArgumentException("--index must not be negative.");
            }

            var entryValue = parse.GetValue(entry);
            var leafValue = parse.GetValue(leafHash);
            if (entryValue is not null && leafValue is not null)
            {
                throw new ArgumentException("give --entry or --leaf-hash, not both.");
            }

            var leaf = entryValue is not null ? MerkleHash.Leaf(LogArguments.FileBytes(entryValue, "--entry"))
                : leafValue is not null ? LogArguments.Hash(leafValue, "--leaf-hash")
                : null;

            ProofCheck check;
            long treeSize;
            if (parse.GetValue(proof) is { } proofFile)
            {
                RequireOffline(parse, log, key);
                var rootHash = LogArguments.Hash(parse.GetValue(root) ?? throw new ArgumentException("--proof needs --root."), "--root");
                treeSize = parse.GetValue(size) ?? throw new ArgumentException("--proof needs --size.");
                check = MerkleProofVerifier.VerifyInclusion(
                    i, treeSize, leaf ?? throw new ArgumentException("--proof needs --entry or --leaf-hash."), LogArguments.Proof(proofFile), rootHash);
            }
            else
            {
                var (connection, checkpoint, checkpointCheck) = await OpenVerifiedAsync(parse, log, key, console, cancellationToken);
                using var owned = connection;
                if (!checkpointCheck.IsValid)
                {
                    return await InvalidAsync(console, checkpointCheck);
                }

                treeSize = checkpoint!.Size;
                check = await LogCheck.InclusionFromLogAsync(connection.Source, checkpoint, i, leaf, cancellationToken);
            }

            return check.IsValid
                ? await ValidAsync(console, $"valid: entry {i} is included in the tree of size {treeSize}")
                : await InvalidAsync(console, check);
        }));
        return command;
    }

    private static Command ConsistencyCommand(CliConsole console)
    {
        var log = LogOption(false);
        var key = KeyOption(false);
        var oldSize = new Option<long>("--old-size") { Description = "The size of the tree you trusted before.", Required = true };
        var oldRoot = new Option<string>("--old-root") { Description = "That tree's root hash, base64.", Required = true };
        var proof = new Option<string?>("--proof") { Description = "@file with the proof hashes; checks offline with --new-size and --new-root." };
        var newSize = new Option<long?>("--new-size") { Description = "With --proof: the newer tree size." };
        var newRoot = new Option<string?>("--new-root") { Description = "With --proof: the newer root hash, base64." };
        var command = new Command("verify-consistency", "Check that the log (its current checkpoint, or a newer tree from files) extends an older tree.")
        {
            log, key, oldSize, oldRoot, proof, newSize, newRoot,
        };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(console, async () =>
        {
            var size1 = parse.GetValue(oldSize);
            if (size1 < 1)
            {
                throw new ArgumentException("--old-size must be at least 1 (every tree is consistent with the empty tree).");
            }

            var root1 = LogArguments.Hash(parse.GetValue(oldRoot)!, "--old-root");
            ProofCheck check;
            long size2;
            if (parse.GetValue(proof) is { } proofFile)
            {
                RequireOffline(parse, log, key);
                size2 = parse.GetValue(newSize) ?? throw new ArgumentException("--proof needs --new-size.");
                var root2 = LogArguments.Hash(parse.GetValue(newRoot) ?? throw new ArgumentException("--proof needs --new-root."), "--new-root");
                check = MerkleProofVerifier.VerifyConsistency(size1, size2, root1, root2, LogArguments.Proof(proofFile));
            }
            else
            {
                var (connection, checkpoint, checkpointCheck) = await OpenVerifiedAsync(parse, log, key, console, cancellationToken);
                using var owned = connection;
                if (!checkpointCheck.IsValid)
                {
                    return await InvalidAsync(console, checkpointCheck);
                }

                size2 = checkpoint!.Size;
                check = await LogCheck.ConsistencyFromLogAsync(connection.Source, checkpoint, size1, root1, cancellationToken);
            }

            return check.IsValid
                ? await ValidAsync(console, $"valid: the tree of size {size2} is consistent with the tree of size {size1}")
                : await InvalidAsync(console, check);
        }));
        return command;
    }

    private static Command AuditCommand(CliConsole console)
    {
        var log = LogOption(true);
        var key = KeyOption(true);
        var previous = new Option<string?>("--previous") { Description = "@file with a checkpoint note seen before (an earlier audit, a witness); the log must extend it." };
        var command = new Command("audit", "Check the whole log: checkpoint signature, every entry bundle and tile, the root, stored objects unchanged.")
        {
            log, key, previous,
        };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(console, async () =>
        {
            var vkey = LogArguments.VerifierKey(parse.GetValue(key)!);
            var previousNote = parse.GetValue(previous) is { } file ? LogArguments.CheckpointNote(file, "--previous") : null;
            using var connection = LogArguments.OpenLog(parse.GetValue(log)!, console);

            // The key's name is the log's origin (signed-note key names are the origin in tlog-checkpoint).
            var report = await new LogAuditor(connection.Source, [vkey], vkey.Name).AuditAsync(previousNote, cancellationToken);
            if (!report.HasCheckpoint && report.IsClean)
            {
                throw new InvalidOperationException("the log has no checkpoint.");
            }

            var output = console.Out;
            if (report.HasCheckpoint)
            {
                await output.WriteLineAsync("origin: " + report.Origin);
                await output.WriteLineAsync("size: " + report.Size!.Value.ToString(CultureInfo.InvariantCulture));
                await output.WriteLineAsync("root: " + report.RootHash);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"checked: {report.EntriesChecked} entries, {report.TilesChecked} tiles, {report.StoredPartialsChecked} stored partials"));
            if (report.IsClean)
            {
                await output.WriteLineAsync("clean: the stored tiles and entries prove the signed checkpoint");
                return CliApp.Valid;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"findings: {report.FindingCount}"));
            foreach (var finding in report.Findings)
            {
                await output.WriteLineAsync(finding.ToString().ReplaceLineEndings(" "));
            }

            if (report.IsTruncated)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"... and {report.FindingCount - report.Findings.Count} more"));
            }

            return CliApp.Invalid;
        }));
        return command;
    }

    private static void RequireOffline(ParseResult parse, Option<string> log, Option<string> key)
    {
        if (parse.GetValue(log) is not null || parse.GetValue(key) is not null)
        {
            throw new ArgumentException("--proof checks files offline; leave out --log and --key.");
        }
    }

    private static async Task<(LogConnection Connection, Checkpoint? Checkpoint, ProofCheck Check)> OpenVerifiedAsync(
        ParseResult parse, Option<string> log, Option<string> key, CliConsole console, CancellationToken cancellationToken)
    {
        var location = parse.GetValue(log) ?? throw new ArgumentException("give --log and --key, or --proof with the tree's root and size.");
        var vkey = LogArguments.VerifierKey(parse.GetValue(key) ?? throw new ArgumentException("--log needs --key."));
        var connection = LogArguments.OpenLog(location, console);
        try
        {
            var (check, checkpoint) = await LogCheck.CheckpointAsync(connection.Source, vkey, cancellationToken);
            return (connection, checkpoint, check);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static async Task<int> ValidAsync(CliConsole console, string message)
    {
        await console.Out.WriteLineAsync(message);
        return CliApp.Valid;
    }

    private static async Task<int> InvalidAsync(CliConsole console, ProofCheck check)
    {
        await console.Out.WriteLineAsync("invalid: " + check.Reason);
        return CliApp.Invalid;
    }
}
