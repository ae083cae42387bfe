namespace Rtgf.Ingestion.DataGovAu;

/// <summary>What one watch-list entry asks for: a dataset by id or slug, or a catalogue search.</summary>
public enum MagdaWatchKind
{
    /// <summary><c>dataset:{id-or-slug}</c>: CKAN <c>package_show</c>.</summary>
    Dataset,

    /// <summary><c>search:{query}</c>: CKAN <c>package_search</c> with <c>q</c>.</summary>
    Search,
}

/// <summary>One entry of the data.gov.au watch list; <see cref="Text"/> (<c>kind:value</c>) is what a record's <c>watch</c> names.</summary>
public sealed record MagdaWatchEntry(MagdaWatchKind Kind, string Value)
{
    public string Text => (Kind == MagdaWatchKind.Dataset ? "dataset:" : "search:") + Value;

    public override string ToString() => Text;
}

/// <summary>
/// The data.gov.au watch list, configured (<c>Magda:Watch</c>), not code: <c>;</c>-separated <c>dataset:{id-or-slug}</c> and
/// <c>search:{query}</c> entries, read in order. Unset, it is <see cref="Default"/>. An entry of another kind, an empty
/// value or the same entry twice is a configuration error naming the setting.
/// </summary>
public static class MagdaWatch
{
    public const string Setting = "Magda:Watch";

    /// <summary>
    /// CRICOS, the public holidays, and searches for NCVER, vocational education and training, and AusTender's exports.
    /// </summary>
    public const string Default =
        "dataset:cricos;dataset:australian-holidays-machine-readable-dataset;search:NCVER;search:vocational education and training;search:AusTender";

    public static IReadOnlyList<MagdaWatchEntry> Parse(string? text)
    {
        var source = string.IsNullOrWhiteSpace(text) ? Default : text;
        var entries = new List<MagdaWatchEntry>();
        foreach (var raw in source.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            var kind = colon < 0 ? null : raw[..colon].Trim().ToLowerInvariant() switch
            {
                "dataset" => (MagdaWatchKind?)MagdaWatchKind.Dataset,
                "search" => MagdaWatchKind.Search,
                _ => null,
            };
            var value = colon < 0 ? string.Empty : raw[(colon + 1)..].Trim();
            if (kind is null || value.Length == 0)
            {
                throw new InvalidOperationException(
                    $"The setting '{Setting}' has '{raw}': each entry is dataset:{{id-or-slug}} or search:{{query}}, entries separated by ';' (e.g. {Default}).");
            }

            var entry = new MagdaWatchEntry(kind.Value, value);
            if (entries.Contains(entry))
            {
                throw new InvalidOperationException($"The setting '{Setting}' names '{entry.Text}' twice.");
            }

            entries.Add(entry);
        }

        return entries.Count > 0 ? entries : throw new InvalidOperationException($"The setting '{Setting}' names no dataset or search.");
    }
}
