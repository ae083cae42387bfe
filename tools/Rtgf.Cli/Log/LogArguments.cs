using System.Text;
using System.Text.Json;
using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Cli.Log;

/// <summary>Turns `rtgf log` arguments into values; every failure is an exception with a message fit for one stderr line.</summary>
internal static class LogArguments
{
    /// <summary>A base URL (http/https) or a directory.</summary>
    public static LogConnection OpenLog(string location, CliConsole console)
    {
        if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var baseUri = new Uri(location.EndsWith('/') ? location : location + "/", UriKind.Absolute);
            var http = console.CreateHttpClient();
            return new LogConnection(new HttpLogObjectSource(http, baseUri), http);
        }

        return Directory.Exists(location)
            ? new LogConnection(new DirectoryLogObjectSource(location))
            : throw new ArgumentException($"--log '{location}' is neither an http(s) URL nor an existing directory.");
    }

    /// <summary>A vkey given inline or as @file.</summary>
    public static NoteVerifierKey VerifierKey(string value)
    {
        var text = value.StartsWith('@') ? File.ReadAllText(FilePath(value, "--key")).Trim() : value;
        try
        {
            return NoteVerifierKey.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("--key: " + ex.Message, ex);
        }
    }

    public static byte[] FileBytes(string value, string option) => File.ReadAllBytes(FilePath(value, option));

    /// <summary>A signed checkpoint note from @file (as `rtgf log audit --previous` takes it); it must at least parse.</summary>
    public static string CheckpointNote(string value, string option)
    {
        var text = File.ReadAllText(FilePath(value, option), Encoding.UTF8);
        try
        {
            SignedNote.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"{option}: {ex.Message}", ex);
        }

        return text;
    }

    public static byte[] Hash(string value, string option)
    {
        byte[] hash;
        try
        {
            hash = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{option} is not base64.");
        }

        return hash.Length == MerkleHash.Size ? hash : throw new ArgumentException($"{option} has {hash.Length} bytes; a SHA-256 hash has {MerkleHash.Size}.");
    }

    /// <summary>A proof file: a JSON array of base64 hashes, or one base64 hash per line.</summary>
    public static IReadOnlyList<byte[]> Proof(string value)
    {
        var text = File.ReadAllText(FilePath(value, "--proof"), Encoding.UTF8).Trim();
        IEnumerable<string> items;
        if (text.StartsWith('['))
        {
            try
            {
                items = JsonSerializer.Deserialize<string[]>(text) ?? [];
            }
            catch (JsonException ex)
            {
                throw new ArgumentException("--proof is not a JSON array of base64 strings: " + ex.Message, ex);
            }
        }
        else
        {
            items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return [.. items.Select((h, i) => Hash(h, $"--proof hash {i}"))];
    }

    private static string FilePath(string value, string option)
    {
        if (!value.StartsWith('@') || value.Length == 1)
        {
            throw new ArgumentException($"{option} takes @<file>.");
        }

        var path = value[1..];
        return File.Exists(path) ? path : throw new ArgumentException($"{option}: file '{path}' does not exist.");
    }
}
