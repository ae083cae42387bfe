namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// What an <see cref="IRecordStore"/> key may be: at most <see cref="MaxChars"/> characters once the store has escaped the
/// characters Table Storage forbids in keys (<c>% / \ # ?</c> and control characters become <c>%XX</c>). Callers that build
/// keys from request input check them here first, so a long input is a clear 400 rather than a storage error.
/// </summary>
public static class RecordKeys
{
    /// <summary>Table Storage keys hold 1 KiB of UTF-16.</summary>
    public const int MaxChars = 512;

    /// <summary>The length of <paramref name="key"/> once escaped for storage.</summary>
    public static int EscapedLength(ReadOnlySpan<char> key)
    {
        var length = 0;
        foreach (var c in key)
        {
            length += c is '%' or '/' or '\\' or '#' or '?' || char.IsControl(c) ? 3 : 1;
        }

        return length;
    }
}
