using System.Globalization;
using Rtgf.Compiler.Input;
using Rtgf.Compiler.Policy;
using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Compiler.Families;

/// <summary>
/// <c>sanctions-screen</c>: every RTO screened against the DFAT Consolidated List snapshot. A listing matches when its
/// primary name or an alias, normalised (<see cref="NameNormaliser"/>), equals the RTO's normalised legal or trading name,
/// or when an 11-digit number in the listing's text equals the RTO's ABN. The facts state the rule, the list screened
/// against (snapshot digest, fetch time, entries) and every match, so a "no-match" is a checkable claim.
/// </summary>
internal sealed class SanctionsScreenBuilder : SortedFamilyBuilder<RtoEntry>
{
    private const string RuleText =
        "names: legal and trading names and listing names/aliases upper-cased, non-letters/digits as spaces, ignored words dropped, compared for equality; "
        + "abn: the RTO's 11-digit ABN equal to an 11-digit number (digit groups may be space-separated) in a listing's name, aliases or listing information";

    private readonly ScreeningPolicy _screening;
    private readonly NameNormaliser _normaliser;
    private readonly Dictionary<string, List<(string Reference, string Listed)>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Reference, string Listed)>> _byAbn = new(StringComparer.Ordinal);
    private readonly string _listDigest;
    private readonly string _listFetchedAt;
    private readonly int _entries;

    /// <summary>The list screened against: a newer list with the same result replaces the token without revoking it.</summary>
    public override string? ProvenanceMember => "list";

    public SanctionsScreenBuilder(FamilyPolicy policy, SourceRecords tga, SourceRecords dfat, SnapshotManifest list)
        : base(tga.Source, tga.Rtos.Select(r => (policy.Subject.Format(r.Code), r)))
    {
        _screening = policy.Screening!;
        _normaliser = new NameNormaliser(_screening.IgnoredWords);
        _listDigest = list.Digest;
        _listFetchedAt = list.FetchedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        _entries = dfat.Sanctions.Count;
        foreach (var listing in dfat.Sanctions)
        {
            foreach (var name in listing.Aliases.Prepend(listing.Name))
            {
                if (_normaliser.Normalise(name) is { } normalised)
                {
                    Add(_byName, normalised, listing.Reference, name);
                }
            }

            foreach (var text in listing.Aliases.Prepend(listing.Name).Append(listing.ListingInformation))
            {
                foreach (var abn in NameNormaliser.AbnsIn(text))
                {
                    Add(_byAbn, abn, listing.Reference, text!);
                }
            }
        }
    }

    internal SortedSet<SanctionsMatch> Matches(RtoEntry rto, out SortedSet<string> screenedNames)
    {
        screenedNames = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in rto.TradingNames.Prepend(rto.LegalName))
        {
            if (_normaliser.Normalise(name) is { } normalised)
            {
                screenedNames.Add(normalised);
            }
        }

        var matches = new SortedSet<SanctionsMatch>(Comparer<SanctionsMatch>.Create(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Reference, b.Reference);
            c = c != 0 ? c : string.CompareOrdinal(a.Field, b.Field);
            c = c != 0 ? c : string.CompareOrdinal(a.Screened, b.Screened);
            return c != 0 ? c : string.CompareOrdinal(a.Listed, b.Listed);
        }));
        foreach (var name in screenedNames)
        {
            foreach (var (reference, listed) in _byName.GetValueOrDefault(name) ?? [])
            {
                matches.Add(new SanctionsMatch("name", listed, reference, name));
            }
        }

        if (NameNormaliser.Abn(rto.Abn) is { } abn)
        {
            foreach (var (reference, listed) in _byAbn.GetValueOrDefault(abn) ?? [])
            {
                matches.Add(new SanctionsMatch("abn", listed, reference, abn));
            }
        }

        return matches;
    }

    protected override void WriteFacts(RtoEntry item, CanonicalJsonWriter writer)
    {
        var matches = Matches(item, out var screenedNames);
        writer.WriteStartObject();
        WriteNullable(writer, "abn", item.Abn);
        writer.WriteString("code", item.Code);
        WriteNullable(writer, "legal_name", item.LegalName);
        writer.WritePropertyName("list");
        writer.WriteStartObject();
        writer.WriteString("digest", _listDigest);
        writer.WriteNumber("entries", _entries);
        writer.WriteString("fetched_at", _listFetchedAt);
        writer.WriteEndObject();
        writer.WritePropertyName("matches");
        writer.WriteStartArray();
        foreach (var match in matches)
        {
            writer.WriteStartObject();
            writer.WriteString("field", match.Field);
            writer.WriteString("listed", match.Listed);
            writer.WriteString("reference", match.Reference);
            writer.WriteString("screened", match.Screened);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("result", matches.Count == 0 ? "no-match" : "match");
        writer.WritePropertyName("rule");
        writer.WriteStartObject();
        writer.WriteString("id", _screening.Rule);
        WriteStrings(writer, "ignored_words", _screening.IgnoredWords);
        writer.WriteString("text", RuleText);
        writer.WriteEndObject();
        WriteStrings(writer, "screened_names", screenedNames);
        writer.WriteEndObject();
    }

    private static void Add(Dictionary<string, List<(string, string)>> index, string key, string reference, string listed)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index.Add(key, list = []);
        }

        list.Add((reference, listed));
    }
}
