using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Compiler;

/// <summary>Writes the canonical build manifest (members and arrays in ordinal order; see docs/spec/compiler.md).</summary>
internal static class BuildManifest
{
    public static byte[] Write(PolicyMatrix matrix, string issuer, IEnumerable<Snapshot> inputs, IReadOnlyList<FamilyOutcome> families, int tokenCount)
    {
        using var writer = new CanonicalJsonWriter(4096);
        writer.WriteStartObject();
        writer.WritePropertyName("compiler");
        writer.WriteStartObject();
        writer.WriteString("name", TokenCompiler.Name);
        writer.WriteString("version", TokenCompiler.Version);
        writer.WriteEndObject();

        writer.WritePropertyName("families");
        writer.WriteStartArray();
        foreach (var family in families)
        {
            writer.WriteStartObject();
            if (family.Skipped)
            {
                writer.WriteString("family", family.Family);
                Strings(writer, "missing", family.Missing);
                Strings(writer, "sources", family.Sources);
                writer.WriteString("status", "skipped");
            }
            else
            {
                writer.WriteNumber("count", family.Count);
                writer.WriteString("digest", family.Digest!);
                writer.WriteString("family", family.Family);
                Strings(writer, "sources", family.Sources);
                writer.WriteString("status", "compiled");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        var records = 0L;
        var inputCount = 0;
        writer.WritePropertyName("inputs");
        writer.WriteStartArray();
        foreach (var input in inputs)
        {
            writer.WriteStartObject();
            writer.WriteString("digest", input.Manifest.Digest);
            writer.WriteString("fetchedAt", TokenCompiler.Instant(input.Manifest.FetchedAt));
            writer.WriteNumber("recordCount", input.Manifest.RecordCount);
            writer.WriteString("source", input.Manifest.Source);
            writer.WriteEndObject();
            records += input.Manifest.RecordCount;
            inputCount++;
        }

        writer.WriteEndArray();
        writer.WriteString("issuer", issuer);

        writer.WritePropertyName("matrix");
        writer.WriteStartObject();
        writer.WriteString("digest", matrix.Digest);
        writer.WriteString("version", matrix.Version);
        writer.WriteEndObject();

        writer.WritePropertyName("totals");
        writer.WriteStartObject();
        writer.WriteNumber("families", families.Count(f => !f.Skipped));
        writer.WriteNumber("inputs", inputCount);
        writer.WriteNumber("records", records);
        writer.WriteNumber("skipped", families.Count(f => f.Skipped));
        writer.WriteNumber("tokens", tokenCount);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return writer.ToArray();
    }

    private static void Strings(CanonicalJsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteString(value);
        }

        writer.WriteEndArray();
    }
}
