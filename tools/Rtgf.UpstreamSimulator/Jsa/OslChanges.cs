using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Jsa;

/// <summary>Scripted changes to the Occupation Shortage List. Call under <see cref="SimulatedWorld.Gate"/>.</summary>
internal static class OslChanges
{
    private static readonly string[] Ratings = ["S", "R", "M", "NS"];

    /// <summary>
    /// A new year's list: <see cref="SimulatedWorld.OslYear"/> moves on (so the file moves to a new folder) and every
    /// fifth occupation, by code, has its NSW rating turned (S↔NS, R↔M). Returns the new year.
    /// </summary>
    public static int NewYear(SimulatedWorld world)
    {
        world.OslYear++;
        var ordered = world.Occupations.OrderBy(o => o.Code, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i += 5)
        {
            ordered[i].States["NSW"] = ordered[i].States["NSW"] switch
            {
                "S" => "NS",
                "NS" => "S",
                "R" => "M",
                _ => "R",
            };
        }

        return world.OslYear;
    }

    /// <summary>Sets one rating: <paramref name="state"/> is <c>national</c> or a state column (<c>NSW</c> … <c>ACT</c>).</summary>
    public static Occupation Rate(SimulatedWorld world, string code, string state, string rating)
    {
        var occupation = world.Occupations.Find(o => o.Code == code) ?? throw new SimulatorException($"No occupation with code '{code}'.");
        if (!Ratings.Contains(rating, StringComparer.Ordinal))
        {
            throw new SimulatorException($"Rating '{rating}' is not one of {string.Join(", ", Ratings)}.");
        }

        if (string.Equals(state, "national", StringComparison.OrdinalIgnoreCase))
        {
            occupation.National = rating;
        }
        else if (occupation.States.ContainsKey(state))
        {
            occupation.States[state] = rating;
        }
        else
        {
            throw new SimulatorException($"State '{state}' is not national or one of {string.Join(", ", WorldGenerator.StateColumns)}.");
        }

        return occupation;
    }
}
