using System.Buffers.Binary;
using System.Text;

namespace Rtgf.Transparency.Checkpoints;

/// <summary>
/// A C2SP signed note: UTF-8 text ending in a newline, an empty line, then signature lines <c>— &lt;name&gt; &lt;base64&gt;</c>
/// (U+2014 EM DASH, a space). Parsing is strict; verifying signatures is <see cref="NoteVerifier"/>'s job.
/// </summary>
public sealed class SignedNote
{
    public const int MaxSignatures = 100;
    internal const string SignaturePrefix = "\u2014 ";

    private SignedNote(string text, IReadOnlyList<NoteSignature> signatures)
    {
        Text = text;
        Signatures = signatures;
    }

    /// <summary>The signed text, including its final newline.</summary>
    public string Text { get; }

    public IReadOnlyList<NoteSignature> Signatures { get; }

    public static SignedNote Parse(ReadOnlySpan<byte> note)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(note);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("The note is not valid UTF-8.");
        }

        return Parse(text);
    }

    public static SignedNote Parse(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        foreach (var c in note)
        {
            if ((c < 0x20 && c != '\n') || c == 0x7F)
            {
                throw new FormatException($"The note contains the control character U+{(int)c:X4}.");
            }
        }

        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new FormatException("The note has no empty line between its text and its signatures.");
        }

        var text = note[..(split + 1)];
        var signatureBlock = note[(split + 2)..];
        if (signatureBlock.Length == 0 || !signatureBlock.EndsWith('\n'))
        {
            throw new FormatException("The note's signature block is empty or does not end with a newline.");
        }

        var lines = signatureBlock[..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            throw new FormatException($"The note has {lines.Length} signatures; at most {MaxSignatures} are accepted.");
        }

        var signatures = new List<NoteSignature>(lines.Length);
        foreach (var line in lines)
        {
            signatures.Add(ParseSignatureLine(line));
        }

        return new SignedNote(text, signatures);
    }

    /// <summary>The note as served: text, an empty line, the signature lines.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(Text).Append('\n');
        foreach (var signature in Signatures)
        {
            builder.Append(FormatSignatureLine(signature));
        }

        return builder.ToString();
    }

    internal static string FormatSignatureLine(NoteSignature signature)
    {
        var payload = new byte[4 + signature.Signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, signature.KeyId);
        signature.Signature.Span.CopyTo(payload.AsSpan(4));
        return SignaturePrefix + signature.KeyName + " " + Convert.ToBase64String(payload) + "\n";
    }

    /// <summary>Key names: non-empty, no whitespace, no '+'.</summary>
    internal static bool IsValidKeyName(string name) =>
        name.Length > 0 && !name.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c));

    private static NoteSignature ParseSignatureLine(string line)
    {
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            throw new FormatException("A signature line does not start with an em dash (U+2014) and a space.");
        }

        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            throw new FormatException("A signature line has no space between the key name and the signature.");
        }

        var name = rest[..space];
        if (!IsValidKeyName(name))
        {
            throw new FormatException($"A signature line has an invalid key name '{name}'.");
        }

        var encoded = rest[(space + 1)..];
        byte[] payload;
        try
        {
            // Convert skips whitespace inside base64; a signature line must not have any.
            payload = encoded.Any(char.IsWhiteSpace) ? throw new FormatException() : Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new FormatException($"The signature by '{name}' is not valid base64.");
        }

        if (payload.Length < 5)
        {
            throw new FormatException($"The signature by '{name}' is too short to hold a key ID and a signature.");
        }

        return new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(payload), payload.AsMemory(4));
    }
}
