using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Admin;

/// <summary>The simulator's own API under <c>/_sim</c>: status, clock, scripted changes, scenarios and faults.</summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app, SimulatedWorld world, FaultBoard faults)
    {
        app.MapGet("/_sim/status", () => Json(Status(world)));
        app.MapGet("/_sim/fingerprint", () =>
        {
            lock (world.Gate)
            {
                return Json(new JsonObject { ["sha256"] = world.Fingerprint() });
            }
        });
        app.MapPost("/_sim/clock", (HttpRequest request) => GuardAsync(request, body =>
        {
            lock (world.Gate)
            {
                if (body["set"] is { } set)
                {
                    world.SetClock(DateTimeOffset.Parse(set.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
                }

                if (body["advanceSeconds"] is { } advance)
                {
                    world.SetClock(world.Clock.AddSeconds(advance.GetValue<double>()));
                }

                return Task.FromResult(new JsonObject { ["clock"] = ChangeApplier.Format(world.Clock) });
            }
        }));
        app.MapPost("/_sim/changes", (HttpRequest request) => GuardAsync(request, body =>
            Task.FromResult(ChangeApplier.Apply(
                world,
                body["changes"] as JsonArray ?? throw new SimulatorException("The body needs a 'changes' array."),
                body["stepSeconds"]?.GetValue<int>() ?? 60))));
        app.MapPost("/_sim/scenarios/{name}", (string name, HttpRequest request) => GuardAsync(request, _ =>
            Task.FromResult(ChangeApplier.Apply(world, Scenarios.Changes(world, name), 60)), bodyOptional: true));
        app.MapGet("/_sim/faults", () => Json(new JsonObject { ["faults"] = Rules(faults.Snapshot()) }));
        app.MapDelete("/_sim/faults", () =>
        {
            faults.Clear();
            return Json(new JsonObject { ["faults"] = new JsonArray() });
        });
        app.MapPost("/_sim/faults", (HttpRequest request) => GuardAsync(request, body =>
        {
            var count = body["count"]?.GetValue<int>();
            if (count is <= 0)
            {
                throw new SimulatorException("count must be 1 or more (leave it out for a fault that stays until cleared).");
            }

            var mode = FaultBoard.ParseMode(body["mode"]?.GetValue<string>() ?? throw new SimulatorException("'mode' is required."));
            var target = body["target"]?.GetValue<string>() is { } text
                ? Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is ("http" or "https") ? uri : throw new SimulatorException($"'target' must be an absolute http(s) URL, not '{text}'.")
                : null;
            if (mode is (FaultMode.Redirect or FaultMode.ForeignLinks) && target is null)
            {
                throw new SimulatorException($"mode {mode} needs 'target', the other host's URL.");
            }

            var rule = new FaultRule(
                body["routePrefix"]?.GetValue<string>() ?? "/",
                mode,
                count,
                body["delaySeconds"] is { } delay ? TimeSpan.FromSeconds(delay.GetValue<double>()) : null,
                body["retryAfterSeconds"]?.GetValue<int>() ?? 1,
                target);
            faults.Add(rule);
            return Task.FromResult(new JsonObject { ["faults"] = Rules(faults.Snapshot()) });
        }));
    }

    private static JsonObject Status(SimulatedWorld world)
    {
        lock (world.Gate)
        {
            return new JsonObject
            {
                ["corpus"] = world.Corpus,
                ["seed"] = world.Seed.ToString(CultureInfo.InvariantCulture),
                ["clock"] = ChangeApplier.Format(world.Clock),
                ["revision"] = world.Revision,
                ["oslYear"] = world.OslYear,
                ["counts"] = new JsonObject
                {
                    ["rtos"] = world.Rtos.Count(r => r.Deleted is null),
                    ["currentRtos"] = world.Rtos.Count(r => r.Deleted is null && r.HasActiveRegistration),
                    ["deletedRtos"] = world.Rtos.Count(r => r.Deleted is not null),
                    ["components"] = world.Components.Count,
                    ["currentComponents"] = world.Components.Count(c => c.Usage == UsageState.Current),
                    ["supersededComponents"] = world.Components.Count(c => c.Usage == UsageState.Superseded),
                    ["deletedComponents"] = world.Components.Count(c => c.Usage == UsageState.Deleted),
                    ["scopeRows"] = world.Scope.Length,
                    ["cricosProviders"] = world.CricosProviders.Count,
                    ["cricosCourses"] = world.CricosCourses.Count,
                    ["cricosLocations"] = world.CricosLocations.Count,
                    ["teqsaProviders"] = world.TeqsaProviders.Count,
                    ["sanctionsParties"] = world.Sanctions.Count,
                    ["occupations"] = world.Occupations.Count,
                },
            };
        }
    }

    private static JsonArray Rules(IEnumerable<FaultRule> rules) => [.. rules.Select(r => (JsonNode)new JsonObject
    {
        ["routePrefix"] = r.RoutePrefix,
        ["mode"] = r.Mode.ToString(),
        ["count"] = r.Count,
        ["delaySeconds"] = r.Delay?.TotalSeconds,
        ["retryAfterSeconds"] = r.RetryAfterSeconds,
        ["target"] = r.Target?.AbsoluteUri,
    })];

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json");

    /// <summary>Reads the JSON body and turns bad input into a 400 with one clear message.</summary>
    private static async Task<IResult> GuardAsync(HttpRequest request, Func<JsonObject, Task<JsonObject>> handle, bool bodyOptional = false)
    {
        try
        {
            JsonNode? body = null;
            if (request.ContentLength is not 0)
            {
                using var reader = new StreamReader(request.Body);
                var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
                body = text.Length == 0 ? null : JsonNode.Parse(text);
            }

            if (body is null && !bodyOptional)
            {
                throw new SimulatorException("A JSON object body is required.");
            }

            return Json(await handle(body as JsonObject ?? new JsonObject()).ConfigureAwait(false));
        }
        catch (Exception e) when (e is SimulatorException or JsonException or InvalidOperationException or FormatException)
        {
            return Results.Text(new JsonObject { ["error"] = e.Message }.ToJsonString(), "application/json", statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
