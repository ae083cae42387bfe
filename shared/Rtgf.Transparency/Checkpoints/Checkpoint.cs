using System.Globalization;
using System.Text;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Transparency.Checkpoints;

/// <summary>A C2SP tlog-checkpoint body: origin, tree size, base64 root hash, optional extension lines.</summary>
public sealed class Checkpoint
{
    private readonly byte[] _rootHash;

    public Checkpoint(string origin, long size, ReadOnlySpan<byte> rootHash, IReadOnlyList<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (origin.Length == 0 || origin.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A checkpoint origin is one non-empty line.", nameof(origin));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (rootHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A root hash has {MerkleHash.Size} bytes, not {rootHash.Length}.", nameof(rootHash));
        }

        Extensions = extensions ?? [];
        if (Extensions.Any(e => e.Length == 0 || e.Contains('\n', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Checkpoint extension lines are non-empty single lines.", nameof(extensions));
        }

        Origin = origin;
        Size = size;
        _rootHash = rootHash.ToArray();
    }

    public string Origin { get; }

    public long Size { get; }

    public ReadOnlySpan<byte> RootHash => _rootHash;

    public string RootHashBase64 => Convert.ToBase64String(_rootHash);

    public IReadOnlyList<string> Extensions { get; }

    /// <summary>Parses checkpoint note text (the signed part, ending in a newline).</summary>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new FormatException("Checkpoint text must end with a newline.");
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            throw new FormatException("A checkpoint has at least three lines: origin, tree size, root hash.");
        }

        if (lines.Any(l => l.Length == 0))
        {
            throw new FormatException("A checkpoint has no empty lines.");
        }

        var sizeText = lines[1];
        if (!sizeText.All(char.IsAsciiDigit) || (sizeText.Length > 1 && sizeText[0] == '0')
            || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new FormatException($"The checkpoint tree size '{sizeText}' is not a decimal number without leading zeros.");
        }

        byte[] root;
        try
        {
            root = lines[2].Any(char.IsWhiteSpace) ? throw new FormatException() : Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw new FormatException("The checkpoint root hash is not valid base64.");
        }

        if (root.Length != MerkleHash.Size)
        {
            throw new FormatException($"The checkpoint root hash has {root.Length} bytes, not {MerkleHash.Size}.");
        }

        return new Checkpoint(lines[0], size, root, lines[3..]);
    }

    /// <summary>The note text: one line each for origin, size, root and extensions, each ending in a newline.</summary>
    public string ToText()
    {
        var builder = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(RootHashBase64).Append('\n');
        foreach (var extension in Extensions)
        {
            builder.Append(extension).Append('\n');
        }

        return builder.ToString();
    }
}
