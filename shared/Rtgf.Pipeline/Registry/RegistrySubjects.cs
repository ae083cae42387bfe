using Rtgf.Pipeline.Storage;

namespace Rtgf.Pipeline.Registry;

/// <summary>Which subjects the registry can hold and look up: a subject is part of the latest-token row key <c>subject|family</c>.</summary>
public static class RegistrySubjects
{
    /// <summary>Family names are 1 to 64 lowercase letters, digits and hyphens (never escaped).</summary>
    public const int MaxFamilyChars = 64;

    /// <summary>Whether <c>subject|family</c> fits a record key for every family name, once escaped.</summary>
    public static bool FitsKey(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return TableKeys.EscapedLength(subject) + 1 + MaxFamilyChars <= TableKeys.MaxChars;
    }
}
