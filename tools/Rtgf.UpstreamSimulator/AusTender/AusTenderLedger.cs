using System.Text.Json.Nodes;

namespace Rtgf.UpstreamSimulator.AusTender;

/// <summary>The scripted AusTender releases (new contracts, amendments) added through the admin API, on top of the generated ones.</summary>
internal sealed class AusTenderLedger
{
    private readonly List<(DateTimeOffset Date, string Id, JsonObject Release)> _releases = [];

    /// <summary>Scripted contracts by CN number: the first release, kept so an amendment can repeat its facts.</summary>
    public Dictionary<string, JsonObject> Contracts { get; } = new(StringComparer.Ordinal);

    public int Count => _releases.Count;

    public void Add(DateTimeOffset date, string id, JsonObject release) => _releases.Add((date, id, release));

    /// <summary>Copies of the scripted releases dated in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public IEnumerable<(DateTimeOffset Date, string Id, JsonObject Release)> In(DateTimeOffset from, DateTimeOffset to) =>
        _releases.Where(r => r.Date >= from && r.Date < to).Select(r => (r.Date, r.Id, (JsonObject)r.Release.DeepClone()));
}
