using Rtgf.Compiler.Input;
using Rtgf.Core.Encoding;

namespace Rtgf.Compiler.Families;

/// <summary>
/// Scope rows grouped by organisation, shared by <c>rto-registration</c> and <c>rto-scope</c>. Each group's digest is the
/// SHA-256 of the canonical JSON array of all its scope predicates, so a reader can check reassembled parts.
/// </summary>
internal sealed class ScopeIndex
{
    private static readonly ScopeGroup Empty = new([], DigestOf([]));

    private readonly Dictionary<string, ScopeGroup> _groups;

    public ScopeIndex(SourceRecords tga)
    {
        var byOrganisation = new Dictionary<string, List<ScopeEntry>>(StringComparer.Ordinal);
        foreach (var row in tga.Scope)
        {
            if (row.IsRefused)
            {
                continue; // a refused application is not on scope
            }

            if (!byOrganisation.TryGetValue(row.OrganisationCode, out var rows))
            {
                byOrganisation.Add(row.OrganisationCode, rows = []);
            }

            rows.Add(row);
        }

        var keys = byOrganisation.Keys.Order(StringComparer.Ordinal).ToArray();
        var groups = new ScopeGroup[keys.Length];
        Parallel.For(0, keys.Length, i =>
        {
            var items = byOrganisation[keys[i]].ToArray();
            Array.Sort(items, static (a, b) => string.CompareOrdinal(a.ComponentCode, b.ComponentCode));
            groups[i] = new ScopeGroup(items, DigestOf(items));
        });

        _groups = new Dictionary<string, ScopeGroup>(keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            _groups.Add(keys[i], groups[i]);
        }
    }

    public ScopeGroup Of(string organisationCode) => _groups.GetValueOrDefault(organisationCode) ?? Empty;

    /// <summary>Writes <c>[{"component","end","extent","implicit","start"}, …]</c> for items [start, start + count).</summary>
    public static void WriteItems(CanonicalJsonWriter writer, ScopeEntry[] items, int start, int count)
    {
        writer.WriteStartArray();
        for (var i = start; i < start + count; i++)
        {
            var item = items[i];
            writer.WriteStartObject();
            writer.WriteString("component", item.ComponentCode);
            Nullable(writer, "end", item.EndDate);
            Nullable(writer, "extent", item.Extent);
            writer.WritePropertyName("implicit");
            writer.WriteBoolean(item.IsImplicit);
            Nullable(writer, "start", item.StartDate);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static string DigestOf(ScopeEntry[] items)
    {
        using var writer = new CanonicalJsonWriter(Math.Max(256, items.Length * 96));
        WriteItems(writer, items, 0, items.Length);
        return Sha256Digest.Of(writer.WrittenSpan);
    }

    private static void Nullable(CanonicalJsonWriter writer, string name, string? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteString(value);
        }
    }
}
