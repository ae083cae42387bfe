using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Faults;

/// <summary>
/// The drifted shapes: what a client sees when an upstream renames things without notice. XML renames
/// <c>Title</c>→<c>Name</c> and <c>LegalPersonName</c>→<c>LegalName</c>, "fixes" <c>UsageReccomendation</c> to
/// <c>UsageRecommendation</c> and drops <c>UpdatedDate</c>; JSON renames <c>title</c>→<c>name</c>; CSV/XLSX rename
/// one header and drop another (see the writers).
/// </summary>
internal static class SchemaDrift
{
    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["Title"] = "Name",
        ["LegalPersonName"] = "LegalName",
        ["UsageReccomendation"] = "UsageRecommendation",
    };

    public static void Apply(XDocument document)
    {
        foreach (var element in document.Descendants().ToList())
        {
            if (element.Name.LocalName == "UpdatedDate")
            {
                element.Remove();
            }
            else if (Renames.TryGetValue(element.Name.LocalName, out var renamed))
            {
                element.Name = element.Name.Namespace + renamed;
            }
        }
    }

    public static void Apply(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["title"] is { } title)
                {
                    obj.Remove("title");
                    obj["name"] = title;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Apply(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Apply(child);
                }

                break;
        }
    }
}
