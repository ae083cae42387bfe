using System.Security.Cryptography;
using System.Text;
using Rtgf.Core.Signing;

namespace Rtgf.Transparency.Checkpoints;

/// <summary>Signs note text with an <see cref="ISigner"/> (Key Vault in production) as signed-note type 0x02.</summary>
public sealed class NoteSigner
{
    private readonly ISigner _signer;

    public NoteSigner(string keyName, ISigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        _signer = signer;
        VerifierKey = NoteVerifierKey.ForEcdsa(keyName, signer.PublicKey);
    }

    public NoteVerifierKey VerifierKey { get; }

    /// <summary>The signature line for <paramref name="text"/> (which must end in a newline).</summary>
    public async ValueTask<NoteSignature> SignTextAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || !text.EndsWith('\n') || text.Contains("\n\n", StringComparison.Ordinal))
        {
            throw new ArgumentException("Note text must be non-empty, end with a newline and contain no empty line.", nameof(text));
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var p1363 = await _signer.SignDigestAsync(digest, cancellationToken);
        if (p1363.Length != 64)
        {
            throw new InvalidOperationException($"The signer returned {p1363.Length} bytes; a P-256 P1363 signature is 64.");
        }

        return new NoteSignature(VerifierKey.Name, VerifierKey.KeyId, EcdsaSignatureEncoding.P1363ToDer(p1363));
    }

    /// <summary>The complete signed note: text, empty line, this key's signature line.</summary>
    public async ValueTask<string> SignAsync(string text, CancellationToken cancellationToken = default)
    {
        var signature = await SignTextAsync(text, cancellationToken);
        return text + "\n" + SignedNote.FormatSignatureLine(signature);
    }
}
