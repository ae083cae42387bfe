using System.Text.Json;
using Rtgf.Compiler.Policy;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Compiler.Input;

/// <summary>
/// Checks a snapshot against its manifest (digest, line count, input version) and reads every line. A record's kind is
/// told by its first member (canonical JSON sorts members, and every record writes all of its members); it must be a
/// kind the matrix assigns to this source.
/// </summary>
internal static class SnapshotParser
{
    public static SourceRecords Parse(Snapshot snapshot, SourcePolicy policy)
    {
        var source = policy.Name;
        var manifest = snapshot.Manifest;
        if (manifest.CompilerInputVersion != SnapshotManifest.CurrentCompilerInputVersion)
        {
            throw new CompilerInputException(source, null, null,
                $"compilerInputVersion {manifest.CompilerInputVersion} is not the version this compiler reads ({SnapshotManifest.CurrentCompilerInputVersion}).");
        }

        var records = snapshot.Records.Span;
        var digest = SnapshotBuilder.DigestOf(records);
        if (!string.Equals(digest, manifest.Digest, StringComparison.Ordinal))
        {
            throw new CompilerInputException(source, null, null, $"the records' digest {digest} does not match the manifest's {manifest.Digest}.");
        }

        if (records.Length > 0 && records[^1] != (byte)'\n')
        {
            throw new CompilerInputException(source, null, null, "the records file does not end with a newline.");
        }

        var result = new SourceRecords(source);
        var kinds = Kinds(policy);
        var line = 0L;
        while (records.Length > 0)
        {
            line++;
            var end = records.IndexOf((byte)'\n');
            var text = records[..end];
            records = records[(end + 1)..];
            try
            {
                ReadLine(text, kinds, result);
            }
            catch (RecordFormatException e)
            {
                throw new CompilerInputException(source, line, KeyOf(text), e.Message, e);
            }
            catch (JsonException e)
            {
                throw new CompilerInputException(source, line, KeyOf(text), "not valid JSON: " + e.Message, e);
            }
        }

        if (line != manifest.RecordCount)
        {
            throw new CompilerInputException(source, null, null, $"the records hold {line} lines, the manifest says {manifest.RecordCount}.");
        }

        return result;
    }

    private static Kind Kinds(SourcePolicy policy)
    {
        var kinds = Kind.None;
        foreach (var name in policy.Records)
        {
            kinds |= name switch
            {
                "component" => Kind.Component,
                "cricos-course" => Kind.CricosCourse,
                "cricos-location" => Kind.CricosLocation,
                "cricos-provider" => Kind.CricosProvider,
                "rto" => Kind.Rto,
                "sanction" => Kind.Sanction,
                "scope" => Kind.Scope,
                "teqsa-provider" => Kind.TeqsaProvider,
                "tombstone" => Kind.Tombstone,
                "occupation-shortage" => Kind.OccupationShortage,
                "vacancy-series" => Kind.VacancySeries,
                "labour-series" => Kind.LabourSeries,
                _ => Kind.None,
            };
        }

        return kinds;
    }

    private static void ReadLine(ReadOnlySpan<byte> text, Kind allowed, SourceRecords result)
    {
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = 8 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RecordFormatException("a record line must be one JSON object.");
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
        {
            throw new RecordFormatException("an empty object is not a record.");
        }

        // The first member names the kind; "abn" starts both an RTO and a TEQSA provider, "code" both a component (one
        // without classifications) and a vacancy series, told apart by the source (the matrix never gives one source both).
        var kind = reader.ValueTextEquals("componentCode"u8) ? Kind.Scope
            : reader.ValueTextEquals("abn"u8) ? ((allowed & Kind.Rto) != 0 ? Kind.Rto : Kind.TeqsaProvider)
            : reader.ValueTextEquals("code"u8) ? ((allowed & Kind.VacancySeries) != 0 ? Kind.VacancySeries : Kind.Component)
            : reader.ValueTextEquals("classifications"u8) ? Kind.Component
            : reader.ValueTextEquals("classification"u8) ? Kind.OccupationShortage
            : reader.ValueTextEquals("dataflow"u8) ? Kind.LabourSeries
            : reader.ValueTextEquals("aliases"u8) ? Kind.Sanction
            : reader.ValueTextEquals("courseCode"u8) ? Kind.CricosCourse
            : reader.ValueTextEquals("capacity"u8) ? Kind.CricosProvider
            : reader.ValueTextEquals("city"u8) ? Kind.CricosLocation
            : reader.ValueTextEquals("deletedAt"u8) ? Kind.Tombstone
            : throw new RecordFormatException($"a record starting with member '{reader.GetString()}' is of no known kind.");
        if ((allowed & kind) == 0)
        {
            throw new RecordFormatException($"a '{Name(kind)}' record is not one the policy matrix assigns to this source.");
        }

        switch (kind)
        {
            case Kind.Scope: result.Scope.Add(RecordParser.Scope(ref reader)); break;
            case Kind.Rto: result.Rtos.Add(RecordParser.Rto(ref reader)); break;
            case Kind.Component: result.Components.Add(RecordParser.Component(ref reader)); break;
            case Kind.Sanction: result.Sanctions.Add(RecordParser.Sanction(ref reader)); break;
            case Kind.CricosCourse: result.CricosCourses.Add(RecordParser.CricosCourse(ref reader)); break;
            case Kind.CricosProvider: result.CricosProviders.Add(RecordParser.CricosProvider(ref reader)); break;
            case Kind.OccupationShortage: result.OccupationShortages.Add(RecordParser.OccupationShortage(ref reader)); break;
            case Kind.VacancySeries: RecordParser.VacancySeries(ref reader); result.Other++; break;
            case Kind.LabourSeries: RecordParser.LabourSeries(ref reader); result.Other++; break;
            default: RecordParser.Skip(ref reader); result.Other++; break;
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new RecordFormatException("the line holds more than one JSON object.");
        }
    }

    private static string Name(Kind kind) => kind switch
    {
        Kind.Component => "component",
        Kind.CricosCourse => "cricos-course",
        Kind.CricosLocation => "cricos-location",
        Kind.CricosProvider => "cricos-provider",
        Kind.Rto => "rto",
        Kind.Sanction => "sanction",
        Kind.Scope => "scope",
        Kind.TeqsaProvider => "teqsa-provider",
        Kind.OccupationShortage => "occupation-shortage",
        Kind.VacancySeries => "vacancy-series",
        Kind.LabourSeries => "labour-series",
        _ => "tombstone",
    };

    /// <summary>The record's snapshot key, rebuilt for an error message (best effort: the line may be broken).</summary>
    private static string? KeyOf(ReadOnlySpan<byte> text)
    {
        try
        {
            using var document = JsonDocument.Parse(text.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return Text("organisationCode") is { } org && Text("componentCode") is { } component ? $"scope:{org}:{component}"
                : Text("courseCode") is { } course && Text("providerCode") is { } provider ? $"cricos-course:{provider}:{course}"
                : Text("reference") is { } reference ? "sanction:" + reference
                : Text("classification") is { } scheme && Text("code") is { } occupation ? $"occupation-shortage:{scheme}:{occupation}"
                : Text("series") is { } series && Text("state") is { } state && Text("code") is { } group ? $"vacancy-series:{series}:{state}:{group}"
                : Text("dataflow") is { } dataflow && Text("seriesKey") is { } seriesKey ? $"labour-series:{dataflow}:{seriesKey}"
                : Text("releases") is null && root.TryGetProperty("releases", out _) && Text("code") is { } tc ? "component:" + tc
                : Text("code") is { } code ? "rto:" + code
                : Text("key");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [Flags]
    private enum Kind
    {
        None = 0,
        Component = 1,
        CricosCourse = 2,
        CricosLocation = 4,
        CricosProvider = 8,
        Rto = 16,
        Sanction = 32,
        Scope = 64,
        TeqsaProvider = 128,
        Tombstone = 256,
        OccupationShortage = 512,
        VacancySeries = 1024,
        LabourSeries = 2048,
    }
}
