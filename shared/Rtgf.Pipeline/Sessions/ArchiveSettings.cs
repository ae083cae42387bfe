using System.Globalization;

namespace Rtgf.Pipeline.Sessions;

/// <summary>The archive settings (docs/spec/archives.md#settings) and the retention rule.</summary>
public static class ArchiveSettings
{
    /// <summary>The key-encryption key: a Key Vault RSA key URI (<c>https://{vault}/keys/{name}[/{version}]</c>), reached with the managed identity.</summary>
    public const string KeyVaultKeyId = "Archive:KeyVaultKeyId";

    /// <summary>Local development only: a file holding a 32-byte key-encryption key (the local runner creates it).</summary>
    public const string DevelopmentKeyPath = "Archive:DevelopmentKeyPath";

    /// <summary>How many months an archive is kept (default and minimum 12).</summary>
    public const string RetentionMonths = "Archive:RetentionMonths";

    public const int MinimumRetentionMonths = 12;

    /// <summary>
    /// The purge keeps an archive this much longer than the retention, so an instance whose clock runs ahead (or a month
    /// boundary judged in another time zone) never deletes one early.
    /// </summary>
    public static readonly TimeSpan SkewMargin = TimeSpan.FromDays(1);

    /// <summary>The retention in months: unset is 12; less than 12 or not a whole number is refused (the 12-month floor).</summary>
    public static int Retention(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return MinimumRetentionMonths;
        }

        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var months) || months < MinimumRetentionMonths || months > 1200)
        {
            throw new InvalidOperationException($"{RetentionMonths} '{value}' is refused: archives are kept at least {MinimumRetentionMonths} months (a whole number of months, 12 to 1200).");
        }

        return months;
    }

    /// <summary>Archives created before this instant may be purged (strictly before: one created exactly then is kept).</summary>
    public static DateTimeOffset PurgeCutoff(DateTimeOffset now, int retentionMonths) => now.ToUniversalTime().AddMonths(-retentionMonths) - SkewMargin;
}
