using System.Text.Json;

namespace Rtgf.Pipeline.Radar;

/// <summary>
/// The record keys of the snapshots the radar reads, rebuilt from a line's top-level members as the builder's records
/// name them: TGA <c>scope:{rto}:{component}</c>, <c>component:{code}</c>, <c>rto:{code}</c> and tombstones (their
/// <c>key</c>); tender <c>contract:{contractId}</c> and <c>tender:{atmId}</c>; magda <c>dataset:{id}</c>.
/// </summary>
public static class RadarKeys
{
    public static string? Tga(ref Utf8JsonReader reader)
    {
        var m = Members.Read(ref reader);
        return m.OrganisationCode is { } org && m.ComponentCode is { } component ? $"scope:{org}:{component}"
            : m.Key is { } key && m.HasOperation ? key
            : m.Code is { } code ? (m.HasReleases ? "component:" : "rto:") + code
            : null;
    }

    public static string? Tender(ref Utf8JsonReader reader)
    {
        var m = Members.Read(ref reader);
        return m.ContractId is { } contract ? "contract:" + contract
            : m.AtmId is { } atm ? "tender:" + atm
            : null;
    }

    public static string? Magda(ref Utf8JsonReader reader)
    {
        var m = Members.Read(ref reader);
        return m.Id is { } id && m.HasResources ? "dataset:" + id : null;
    }

    /// <summary>The key function of a source the radar reads.</summary>
    public static SnapshotDiff.KeyOf For(string source) => source switch
    {
        Ingest.IngestSources.Tga => Tga,
        Ingest.IngestSources.Tender => Tender,
        Ingest.IngestSources.Magda => Magda,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "The radar reads tga, tender and magda."),
    };

    /// <summary>The top-level members a key is made of; nested values are skipped unread.</summary>
    private struct Members
    {
        public string? OrganisationCode;
        public string? ComponentCode;
        public string? Key;
        public string? Code;
        public string? ContractId;
        public string? AtmId;
        public string? Id;
        public bool HasOperation;
        public bool HasReleases;
        public bool HasResources;

        public static Members Read(ref Utf8JsonReader reader)
        {
            var m = default(Members);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("a record must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueTextEquals("organisationCode"u8) ? 1
                    : reader.ValueTextEquals("componentCode"u8) ? 2
                    : reader.ValueTextEquals("key"u8) ? 3
                    : reader.ValueTextEquals("code"u8) ? 4
                    : reader.ValueTextEquals("contractId"u8) ? 5
                    : reader.ValueTextEquals("atmId"u8) ? 6
                    : reader.ValueTextEquals("id"u8) ? 7
                    : reader.ValueTextEquals("operation"u8) ? 8
                    : reader.ValueTextEquals("releases"u8) ? 9
                    : reader.ValueTextEquals("resources"u8) ? 10
                    : 0;
                reader.Read();
                var text = member is > 0 and < 8 && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                switch (member)
                {
                    case 1: m.OrganisationCode = text; break;
                    case 2: m.ComponentCode = text; break;
                    case 3: m.Key = text; break;
                    case 4: m.Code = text; break;
                    case 5: m.ContractId = text; break;
                    case 6: m.AtmId = text; break;
                    case 7: m.Id = text; break;
                    case 8: m.HasOperation = true; break;
                    case 9: m.HasReleases = true; break;
                    case 10: m.HasResources = true; break;
                    default: break;
                }

                reader.Skip(); // a nested value is passed over unread
            }

            return m;
        }
    }
}
