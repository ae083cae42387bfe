using System.Globalization;
using System.Text.Json.Nodes;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.AusTender;

/// <summary>
/// AusTender's contract notices, generated on the fly per UTC day from the world seed (never a year in memory): on the
/// national corpus about 250 releases a working day and 25 a weekend day (~70,000 a year, AusTender's volume), on the
/// small corpus 20 and 4; one release in ten is an amendment (a later release of a contract first released up to 90 days
/// before). About 4% of contracts are education and training (UNSPSC segment 86) and 3% have a world RTO as supplier;
/// ABNs are sometimes written with spaces, sometimes missing, and rarely not an ABN at all. Amounts are strings.
/// </summary>
internal static class AusTenderGenerator
{
    /// <summary>AusTender's OCDS data starts here; contract numbers count days from it.</summary>
    public static readonly DateOnly Epoch = new(2013, 1, 1);

    private static readonly string[] Agencies =
    [
        "Department of Employment and Workplace Relations", "Department of Defence", "Department of Health and Aged Care",
        "Services Australia", "Department of Home Affairs", "Department of Education", "Australian Taxation Office",
        "Department of Finance", "Department of Infrastructure, Transport, Regional Development, Communications and the Arts",
    ];

    private static readonly string[] OtherCategories = ["80101507", "81111500", "43211500", "72101500", "78181500", "93141500", "84111600", "80111600", "92121500", "44121600"];

    private static readonly string[] EducationCategories = ["86101700", "86101600", "86111600", "86121500", "86132000", "86141500"];

    private static readonly string[] Methods = ["open", "limited", "selective"];

    private static readonly string[] SupplierWords = ["Pacific", "Southern Cross", "Harbour", "Summit", "Redgum", "Coastal", "Banksia", "Meridian", "Outback", "Capital"];

    private static readonly string[] SupplierKinds = ["Consulting", "Services", "Technologies", "Logistics", "Facilities", "Training", "Health", "Engineering"];

    /// <summary>One release to serve: its instant and id (the page order), the day and index that regenerate it.</summary>
    public readonly record struct ReleaseRef(DateTimeOffset Date, string Id, int Day, int Index, bool Amendment);

    public static int ContractsOn(SimulatedWorld world, int day)
    {
        var date = Epoch.AddDays(day);
        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var national = world.Corpus == "national";
        var baseCount = national ? (weekend ? 25 : 225) : (weekend ? 4 : 18);
        return baseCount + (int)(Hash(world.Seed, day, -1, 1) % (ulong)(national ? 50 : 4));
    }

    public static int AmendmentsOn(SimulatedWorld world, int day) => Math.Max(1, ContractsOn(world, day) / 10);

    /// <summary>Every generated release last modified in [<paramref name="from"/>, <paramref name="to"/>) and not after the world's clock, in page order.</summary>
    public static List<ReleaseRef> ReleasesIn(SimulatedWorld world, DateTimeOffset from, DateTimeOffset to)
    {
        var end = to < world.Clock ? to : world.Clock;
        var list = new List<ReleaseRef>();
        if (end <= from)
        {
            return list;
        }

        var first = Math.Max(0, DayOf(from));
        var last = DayOf(end.AddTicks(-1));
        for (var day = first; day <= last; day++)
        {
            var contracts = ContractsOn(world, day);
            for (var i = 0; i < contracts + AmendmentsOn(world, day); i++)
            {
                var amendment = i >= contracts;
                var date = Instant(world, day, i);
                if (date >= from && date < end)
                {
                    list.Add(new ReleaseRef(date, ReleaseId(world, day, i, amendment), day, i, amendment));
                }
            }
        }

        list.Sort(static (a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date) : string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    public static int DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime).DayNumber - Epoch.DayNumber;

    public static string ContractId(int day, int index) => "CN" + (3_000_000 + (day * 1000) + index).ToString(CultureInfo.InvariantCulture);

    public static string Ocid(SimulatedWorld world, int day, int index) => "prod-" + Hash(world.Seed, day, index, 2).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>The referenced release as AusTender's OCDS JSON.</summary>
    public static JsonObject Release(SimulatedWorld world, ReleaseRef reference)
    {
        if (!reference.Amendment)
        {
            return Original(world, reference.Day, reference.Index, reference.Date);
        }

        // An amendment: a later release of a contract first released 1–90 days before, with a larger value.
        var seed = Hash(world.Seed, reference.Day, reference.Index, 3);
        var day = Math.Max(0, reference.Day - 1 - (int)(seed % 90));
        var index = (int)((seed >> 8) % (ulong)ContractsOn(world, day));
        var original = Original(world, day, index, Instant(world, day, index));
        var originalId = (string)original["id"]!;
        var release = Amend(original, reference.Id, reference.Date, "A" + reference.Day.ToString(CultureInfo.InvariantCulture) + "-" + reference.Index.ToString(CultureInfo.InvariantCulture), 1 + (seed >> 20) % 40);
        release["contracts"]![0]!["amendments"]![0]!["amendsReleaseID"] = originalId;
        return release;
    }

    /// <summary>A later release of <paramref name="original"/>: same contract, new release id and date, value up by <paramref name="percent"/>%.</summary>
    public static JsonObject Amend(JsonObject original, string releaseId, DateTimeOffset date, string amendmentId, ulong percent)
    {
        var release = (JsonObject)original.DeepClone();
        release["id"] = releaseId;
        release["date"] = Format(date);
        release["tag"] = new JsonArray("contractAmendment");
        var contract = (JsonObject)release["contracts"]![0]!;
        var amount = decimal.Parse((string)contract["value"]!["amount"]!, CultureInfo.InvariantCulture);
        contract["value"]!["amount"] = Math.Round(amount * (100 + percent) / 100, 2).ToString("0.00", CultureInfo.InvariantCulture);
        contract["amendments"] = new JsonArray(new JsonObject
        {
            ["id"] = amendmentId,
            ["releaseID"] = releaseId,
            ["amendsReleaseID"] = (string)original["id"]!,
            ["date"] = Format(date),
            ["rationale"] = "Variation to contract value",
        });
        return release;
    }

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A contract's first release (one buyer, one awarded supplier, one UNSPSC item).</summary>
    public static JsonObject Build(
        string ocid, string releaseId, DateTimeOffset date, string contractId, string buyer, string buyerAbn, string supplier, string? supplierAbn,
        string category, decimal amount, string method, string title, string description)
    {
        return new JsonObject
        {
            ["ocid"] = ocid,
            ["id"] = releaseId,
            ["date"] = Format(date),
            ["tag"] = new JsonArray("contract"),
            ["initiationType"] = "tender",
            ["parties"] = new JsonArray(
                new JsonObject
                {
                    ["id"] = "p1",
                    ["name"] = buyer,
                    ["roles"] = new JsonArray("procuringEntity"),
                    ["additionalIdentifiers"] = new JsonArray(new JsonObject { ["scheme"] = "AU-ABN", ["id"] = buyerAbn }),
                },
                new JsonObject
                {
                    ["id"] = "p2",
                    ["name"] = supplier,
                    ["roles"] = new JsonArray("supplier"),
                    ["additionalIdentifiers"] = supplierAbn is null ? new JsonArray() : new JsonArray(new JsonObject { ["scheme"] = "AU-ABN", ["id"] = supplierAbn }),
                }),
            ["awards"] = new JsonArray(new JsonObject
            {
                ["id"] = "a1",
                ["status"] = "active",
                ["suppliers"] = new JsonArray(new JsonObject { ["id"] = "p2", ["name"] = supplier }),
            }),
            ["contracts"] = new JsonArray(new JsonObject
            {
                ["id"] = contractId,
                ["awardID"] = "a1",
                ["title"] = title,
                ["description"] = description,
                ["dateSigned"] = Format(new DateTimeOffset(date.UtcDateTime.Date, TimeSpan.Zero).AddDays(-7)),
                ["status"] = "active",
                ["value"] = new JsonObject { ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture), ["currency"] = "AUD" },
                ["period"] = new JsonObject
                {
                    ["startDate"] = Format(new DateTimeOffset(date.UtcDateTime.Date, TimeSpan.Zero)),
                    ["endDate"] = Format(new DateTimeOffset(date.UtcDateTime.Date, TimeSpan.Zero).AddYears(1)),
                },
                ["items"] = new JsonArray(new JsonObject { ["classification"] = new JsonObject { ["scheme"] = "UNSPSC", ["id"] = category } }),
            }),
            ["tender"] = new JsonObject { ["procurementMethod"] = method, ["procurementMethodDetails"] = method == "open" ? "Open tender" : "Limited tender" },
        };
    }

    public static string SpacedAbn(string abn) => abn.Length == 11 ? $"{abn[..2]} {abn[2..5]} {abn[5..8]} {abn[8..]}" : abn;

    private static JsonObject Original(SimulatedWorld world, int day, int index, DateTimeOffset date)
    {
        var rng = new SplitMix64(Hash(world.Seed, day, index, 4));
        var agency = rng.Next(Agencies.Length);
        var buyerAbn = (51_000_000_000L + (agency * 7_919_113L)).ToString(CultureInfo.InvariantCulture);
        var education = rng.Chance(4);
        var rtoSupplier = world.Rtos.Count > 0 && rng.Chance(3);
        string supplier;
        string? supplierAbn;
        if (rtoSupplier)
        {
            var rto = world.Rtos[rng.Next(world.Rtos.Count)];
            supplier = rto.LegalName;
            supplierAbn = rng.Chance(40) ? SpacedAbn(rto.Abn) : rto.Abn;
        }
        else
        {
            supplier = rng.Pick(SupplierWords) + " " + rng.Pick(SupplierKinds) + " Pty Ltd";
            var abn = (10_000_000_000L + (long)(rng.NextUInt64() % 89_999_999_999UL)).ToString(CultureInfo.InvariantCulture);
            var roll = rng.Next(100);
            supplierAbn = roll < 8 ? null : roll < 25 ? SpacedAbn(abn) : roll < 26 ? "N/A" : abn;
        }

        var category = education ? rng.Pick(EducationCategories) : rng.Pick(OtherCategories);
        var amount = (decimal)rng.Next(5_000, 2_000_000) + (rng.Next(100) / 100m);
        var method = rng.Pick(Methods);
        var contractId = ContractId(day, index);
        return Build(
            Ocid(world, day, index), ReleaseId(world, day, index, amendment: false), date, contractId, Agencies[agency], buyerAbn, supplier, supplierAbn, category, amount, method,
            contractId + "-" + (education ? "TRAINING" : "SERVICES"),
            education ? "Delivery of vocational education and training services" : "Provision of " + rng.Pick(SupplierKinds).ToLowerInvariant() + " services");
    }

    private static string ReleaseId(SimulatedWorld world, int day, int index, bool amendment) =>
        amendment
            ? "prod-" + Hash(world.Seed, day, index, 5).ToString("x16", CultureInfo.InvariantCulture) + "-amend"
            : Ocid(world, day, index) + "-" + Hash(world.Seed, day, index, 6).ToString("x8", CultureInfo.InvariantCulture)[..8];

    private static DateTimeOffset Instant(SimulatedWorld world, int day, int index) =>
        new DateTimeOffset(Epoch.AddDays(day).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds((double)(Hash(world.Seed, day, index, 7) % 86_400));

    private static ulong Hash(ulong seed, int day, int index, ulong salt) =>
        new SplitMix64(seed ^ ((ulong)(uint)day << 32) ^ (uint)index ^ (salt * 0x9E3779B97F4A7C15UL)).NextUInt64();
}
