namespace Rtgf.Transparency.Checkpoints;

/// <summary>One signature line of a signed note: <c>— &lt;name&gt; base64(keyID || signature)</c>.</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, ReadOnlyMemory<byte> Signature);
