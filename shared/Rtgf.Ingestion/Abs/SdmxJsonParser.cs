using System.Globalization;
using System.Text.Json;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Abs;

/// <summary>
/// Strict reader of an ABS SDMX-JSON 1.0 data message (<c>data.structure</c> + <c>data.dataSets[0].series["0:0:…"].observations</c>,
/// observations by <c>TIME_PERIOD</c>) into one <see cref="LabourSeriesRecord"/> per series: the series key is the codes in
/// dimension order, the measure is the MEASURE label, the state the REGION code (<c>1</c>…<c>8</c> → <c>NSW</c>…<c>ACT</c>,
/// <c>AUS</c>), the unit the UNIT_MEASURE label with its UNIT_MULT. Anything else — unknown indexes, no time dimension,
/// non-numeric values, a period twice, a dataSet without structure — is an <see cref="UpstreamFormatException"/> naming the
/// series key and observation index. It never returns part of a message.
/// </summary>
public static class SdmxJsonParser
{
    public const string TimeDimension = "TIME_PERIOD";

    /// <summary>The ABS state codes of the REGION dimension and the state each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> States = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["1"] = "NSW", ["2"] = "VIC", ["3"] = "QLD", ["4"] = "SA", ["5"] = "WA", ["6"] = "TAS", ["7"] = "NT", ["8"] = "ACT", ["AUS"] = "AUS",
    };

    public static IReadOnlyList<LabourSeriesRecord> Parse(ReadOnlyMemory<byte> json, string dataflow)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataflow);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new UpstreamFormatException($"SDMX-JSON of {dataflow}: not JSON ({e.Message}).", e);
        }

        using (document)
        {
            return Read(document.RootElement, dataflow);
        }
    }

    private static List<LabourSeriesRecord> Read(JsonElement root, string flow)
    {
        var data = Member(root, "data", JsonValueKind.Object, flow, "the message");
        if (!data.TryGetProperty("structure", out var structure) || structure.ValueKind != JsonValueKind.Object)
        {
            throw Drift(flow, "data has dataSets but no structure: the dimension codes cannot be resolved.");
        }

        var dimensions = Member(structure, "dimensions", JsonValueKind.Object, flow, "data.structure");
        var seriesDimensions = Components(Member(dimensions, "series", JsonValueKind.Array, flow, "data.structure.dimensions"), flow, "series dimension");
        var observationDimensions = Components(Member(dimensions, "observation", JsonValueKind.Array, flow, "data.structure.dimensions"), flow, "observation dimension");
        if (observationDimensions.Count != 1 || observationDimensions[0].Id != TimeDimension)
        {
            throw Drift(flow, $"the observation dimension must be {TimeDimension} alone, not [{string.Join(", ", observationDimensions.Select(d => d.Id))}] (dimensionAtObservation=TIME_PERIOD).");
        }

        var periods = observationDimensions[0].Values;
        var duplicate = periods.GroupBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Drift(flow, $"the period {duplicate.Key} appears twice in {TimeDimension}.");
        }

        var measure = IndexOf(seriesDimensions, "MEASURE", flow);
        var region = IndexOf(seriesDimensions, "REGION", flow);
        var attributes = structure.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        var seriesAttributes = Optional(attributes, "series", flow);
        var dataSetAttributes = Optional(attributes, "dataSet", flow);
        var observationAttributes = Optional(attributes, "observation", flow);
        var status = observationAttributes.FindIndex(c => c.Id == "OBS_STATUS");

        var dataSets = Member(data, "dataSets", JsonValueKind.Array, flow, "data");
        if (dataSets.GetArrayLength() != 1)
        {
            throw Drift(flow, $"expected one dataSet, found {dataSets.GetArrayLength()}.");
        }

        var dataSet = dataSets[0];
        var dataSetValues = dataSet.TryGetProperty("attributes", out var dsa) ? dsa : default;
        var series = Member(dataSet, "series", JsonValueKind.Object, flow, "data.dataSets[0] (dimensionAtObservation=TIME_PERIOD)");
        var records = new List<LabourSeriesRecord>();
        foreach (var entry in series.EnumerateObject())
        {
            var codes = Codes(entry.Name, seriesDimensions, flow);
            var key = string.Join('.', codes.Select(c => c.Id));
            var regionCode = codes[region].Id;
            if (!States.TryGetValue(regionCode, out var state))
            {
                throw Drift(flow, $"series {key}: REGION '{regionCode}' is not a state code (1-8, AUS).");
            }

            var seriesValues = entry.Value.TryGetProperty("attributes", out var sa) ? sa : default;
            var unit = Attribute("UNIT_MEASURE", seriesAttributes, seriesValues, dataSetAttributes, dataSetValues, flow, key)
                ?? throw Drift(flow, $"series {key}: no UNIT_MEASURE attribute.");
            var multiplier = Attribute("UNIT_MULT", seriesAttributes, seriesValues, dataSetAttributes, dataSetValues, flow, key);
            var observations = Observations(Member(entry.Value, "observations", JsonValueKind.Object, flow, "series " + key), periods, status, observationAttributes, flow, key);
            records.Add(new LabourSeriesRecord(
                flow,
                key,
                codes[measure].Name,
                state,
                multiplier is null || multiplier.Id == "0" ? unit.Name : $"{unit.Name} ({multiplier.Name})",
                observations));
        }

        return [.. records.OrderBy(r => r.SeriesKey, StringComparer.Ordinal)];
    }

    private static List<LabourObservation> Observations(JsonElement observations, List<Code> periods, int status, List<Component> attributes, string flow, string key)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<LabourObservation>();
        foreach (var observation in observations.EnumerateObject())
        {
            string Where() => $"series {key}, observation '{observation.Name}'";
            if (!int.TryParse(observation.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= periods.Count)
            {
                throw Drift(flow, $"{Where()}: not an index of {TimeDimension} (0-{periods.Count - 1}).");
            }

            var period = periods[index].Id;
            if (!seen.Add(period))
            {
                throw Drift(flow, $"{Where()}: period {period} appears twice.");
            }

            var cells = observation.Value;
            if (cells.ValueKind != JsonValueKind.Array || cells.GetArrayLength() == 0)
            {
                throw Drift(flow, $"{Where()}: expected an array [value, attributes…].");
            }

            if (cells[0].ValueKind != JsonValueKind.Number || !cells[0].TryGetDecimal(out var value))
            {
                throw Drift(flow, $"{Where()} ({period}): the value {cells[0].GetRawText()} is not a number.");
            }

            string? flag = null;
            if (status >= 0 && cells.GetArrayLength() > status + 1 && cells[status + 1].ValueKind != JsonValueKind.Null)
            {
                flag = ValueAt(attributes[status], cells[status + 1], flow, Where, "OBS_STATUS").Id;
            }

            list.Add(new LabourObservation(period, value, flag));
        }

        if (list.Count == 0)
        {
            throw Drift(flow, $"series {key} has no observations.");
        }

        return list;
    }

    private static Code? Attribute(string id, List<Component> seriesLevel, JsonElement seriesValues, List<Component> dataSetLevel, JsonElement dataSetValues, string flow, string key)
    {
        foreach (var (components, values) in new[] { (seriesLevel, seriesValues), (dataSetLevel, dataSetValues) })
        {
            var position = components.FindIndex(c => c.Id == id);
            if (position < 0)
            {
                continue;
            }

            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() <= position)
            {
                throw Drift(flow, $"series {key}: no value for the attribute {id}.");
            }

            return values[position].ValueKind == JsonValueKind.Null ? null : ValueAt(components[position], values[position], flow, () => $"series {key}", id);
        }

        return null;
    }

    private static Code ValueAt(Component component, JsonElement index, string flow, Func<string> where, string what) =>
        index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out var i) && i >= 0 && i < component.Values.Count
            ? component.Values[i]
            : throw Drift(flow, $"{where()} {what}: {index.GetRawText()} is not an index of {component.Id} (0-{component.Values.Count - 1}).");

    private static List<Code> Codes(string seriesKey, List<Component> dimensions, string flow)
    {
        var parts = seriesKey.Split(':');
        if (parts.Length != dimensions.Count)
        {
            throw Drift(flow, $"series '{seriesKey}': {parts.Length} indexes for {dimensions.Count} series dimensions ({string.Join('.', dimensions.Select(d => d.Id))}).");
        }

        var codes = new List<Code>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= dimensions[i].Values.Count)
            {
                throw Drift(flow, $"series '{seriesKey}': '{parts[i]}' is not a value index of {dimensions[i].Id} (0-{dimensions[i].Values.Count - 1}).");
            }

            codes.Add(dimensions[i].Values[index]);
        }

        return codes;
    }

    private static int IndexOf(List<Component> dimensions, string id, string flow)
    {
        var index = dimensions.FindIndex(d => d.Id == id);
        return index >= 0 ? index : throw Drift(flow, $"no {id} series dimension (found {string.Join('.', dimensions.Select(d => d.Id))}).");
    }

    private static List<Component> Optional(JsonElement attributes, string level, string flow) =>
        attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty(level, out var list) ? Components(list, flow, level + " attribute") : [];

    private static List<Component> Components(JsonElement array, string flow, string what)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Drift(flow, $"the {what}s are not an array.");
        }

        var components = new List<Component>();
        foreach (var item in array.EnumerateArray())
        {
            var id = Text(item, "id", flow, what);
            var values = new List<Code>();
            if (item.TryGetProperty("values", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var value in list.EnumerateArray())
                {
                    values.Add(new Code(Text(value, "id", flow, $"a value of {id}"), value.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()! : Text(value, "id", flow, id)));
                }
            }
            else
            {
                throw Drift(flow, $"the {what} {id} has no values array.");
            }

            components.Add(new Component(id, values));
        }

        return components;
    }

    private static string Text(JsonElement element, string name, string flow, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Drift(flow, $"{where}: no string '{name}'.");

    private static JsonElement Member(JsonElement element, string name, JsonValueKind kind, string flow, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw Drift(flow, $"{where} has no {kind.ToString().ToLowerInvariant()} '{name}'.");

    private static UpstreamFormatException Drift(string flow, string message) => new($"SDMX-JSON of {flow}: {message}");

    private sealed record Code(string Id, string Name);

    private sealed record Component(string Id, List<Code> Values);
}
