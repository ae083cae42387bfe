using System.Globalization;
using Rtgf.Compiler.Input;
using Rtgf.Compiler.Policy;
using Rtgf.Core.Encoding;

namespace Rtgf.Compiler.Families;

/// <summary>
/// <c>training-component</c>: one token per component, current or not (a superseded component's token says so and names
/// its successors). The current release is the latest by release date, then by release number.
/// </summary>
internal sealed class TrainingComponentBuilder(FamilyPolicy policy, SourceRecords tga)
    : SortedFamilyBuilder<ComponentEntry>(tga.Source, tga.Components.Select(c => (policy.Subject.Format(c.Code), c)))
{
    protected override void WriteFacts(ComponentEntry item, CanonicalJsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("code", item.Code);
        WriteNullable(writer, "currency", item.Currency);
        writer.WritePropertyName("current_release");
        if (CurrentRelease(item.Releases) is { } release)
        {
            writer.WriteStartObject();
            WriteNullable(writer, "date", release.ReleaseDate);
            writer.WriteString("number", release.ReleaseNumber);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull();
        }

        WriteNullable(writer, "parent_code", item.ParentCode);
        writer.WriteString("status", item.Status);
        WriteStrings(writer, "superseded_by", item.SupersededBy.Order(StringComparer.Ordinal));
        WriteStrings(writer, "supersedes", item.Supersedes.Order(StringComparer.Ordinal));
        writer.WriteString("title", item.Title);
        WriteStrings(writer, "types", item.ComponentTypes.Order(StringComparer.Ordinal));
        writer.WritePropertyName("usage_recommendation");
        if (OpenUsage(item.UsageRecommendations) is { } usage)
        {
            writer.WriteStartObject();
            WriteNullable(writer, "start", usage.StartDate);
            writer.WriteString("state", usage.State);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteEndObject();
    }

    internal static ReleaseEntry? CurrentRelease(ReleaseEntry[] releases)
    {
        ReleaseEntry? best = null;
        foreach (var release in releases)
        {
            if (best is null || CompareReleases(release, best) > 0)
            {
                best = release;
            }
        }

        return best;
    }

    /// <summary>The recommendation in force: the one without an end date, else the one that started last.</summary>
    internal static UsageEntry? OpenUsage(UsageEntry[] usage)
    {
        UsageEntry? best = null;
        foreach (var entry in usage)
        {
            if (best is null || Rank(entry).CompareTo(Rank(best)) > 0
                || (Rank(entry) == Rank(best) && string.CompareOrdinal(entry.StartDate, best.StartDate) > 0)
                || (Rank(entry) == Rank(best) && string.Equals(entry.StartDate, best.StartDate, StringComparison.Ordinal) && string.CompareOrdinal(entry.State, best.State) > 0))
            {
                best = entry;
            }
        }

        return best;

        static int Rank(UsageEntry entry) => entry.EndDate is null ? 1 : 0;
    }

    private static int CompareReleases(ReleaseEntry a, ReleaseEntry b)
    {
        var byDate = string.CompareOrdinal(a.ReleaseDate, b.ReleaseDate); // ISO dates sort as text; null first
        if (byDate != 0)
        {
            return byDate;
        }

        return long.TryParse(a.ReleaseNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var x)
            && long.TryParse(b.ReleaseNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            ? x.CompareTo(y)
            : string.CompareOrdinal(a.ReleaseNumber, b.ReleaseNumber);
    }
}
