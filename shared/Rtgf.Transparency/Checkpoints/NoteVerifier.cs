using Rtgf.Transparency.Merkle;

namespace Rtgf.Transparency.Checkpoints;

/// <summary>
/// C2SP signed-note verification: signatures from unknown (name, key ID) pairs are ignored (witness cosignatures, rotated keys),
/// a signature from a known key must verify, and at least one known key must have signed.
/// </summary>
public static class NoteVerifier
{
    public static NoteVerification Verify(string note, IReadOnlyList<NoteVerifierKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        SignedNote parsed;
        try
        {
            parsed = SignedNote.Parse(note);
        }
        catch (FormatException ex)
        {
            return NoteVerification.Invalid("malformed note: " + ex.Message);
        }

        return Verify(parsed, keys);
    }

    public static NoteVerification Verify(SignedNote note, IReadOnlyList<NoteVerifierKey> keys)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(keys);
        var verifiedBy = new List<string>();
        foreach (var signature in note.Signatures)
        {
            var key = keys.FirstOrDefault(k => k.KeyId == signature.KeyId && string.Equals(k.Name, signature.KeyName, StringComparison.Ordinal));
            if (key is null)
            {
                continue;
            }

            ProofCheck check;
            try
            {
                check = key.Verify(note.Text, signature.Signature.Span);
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                check = ProofCheck.Invalid($"the signature by '{key.Name}' cannot be checked: {ex.Message}");
            }

            if (!check.IsValid)
            {
                return NoteVerification.Invalid(check.Reason!, note);
            }

            verifiedBy.Add(key.Name);
        }

        return verifiedBy.Count == 0
            ? NoteVerification.Invalid("no signature from a known key", note)
            : new NoteVerification(true, null, note, verifiedBy);
    }
}
