using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Metadata;
using Rtgf.Testing;

namespace Rtgf.CustomHandler.Tests.Metadata;

public sealed class FunctionJsonTests
{
    public static TheoryData<string> Definitions => ["timer", "serviceBus", "queue", "http", "httpWithOutputs"];

    [Fact]
    public void Timer_WritesScheduleMonitorAndOutputs()
    {
        var json = FunctionJson.Write(FunctionDefinition.Timer("ingest-tga", "%INGEST_TGA_SCHEDULE%", new ServiceBusOutput("ingest", "%INGEST_QUEUE%")));

        Assert.Equal(
            """
            {
              "bindings": [
                {
                  "type": "timerTrigger",
                  "direction": "in",
                  "name": "timer",
                  "schedule": "%INGEST_TGA_SCHEDULE%",
                  "runOnStartup": false,
                  "useMonitor": true
                },
                {
                  "type": "serviceBus",
                  "direction": "out",
                  "name": "ingest",
                  "queueName": "%INGEST_QUEUE%",
                  "connection": "ServiceBusConnection"
                }
              ]
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            json);
    }

    [Fact]
    public void Http_WritesAuthLevelMethodsRouteAndResponse()
    {
        var json = FunctionJson.Write(FunctionDefinition.Http("verifier", "verify/{*path}", AuthorizationLevel.Anonymous, "get", "post"));

        Assert.Contains("\"authLevel\": \"anonymous\"", json, StringComparison.Ordinal);
        Assert.Contains("\"route\": \"verify/{*path}\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\": \"http\"", json, StringComparison.Ordinal);
        Assert.Contains("\"get\",", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_WithoutMethods_OmitsThemSoEveryMethodIsAccepted() =>
        Assert.DoesNotContain("methods", FunctionJson.Write(FunctionDefinition.Http("api", "v1/{*p}", AuthorizationLevel.Function)), StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Definitions))]
    public void EveryBindingKind_ConformsToTheDocumentedSchema(string kind)
    {
        var definition = kind switch
        {
            "timer" => FunctionDefinition.Timer("t", "0 */5 * * * *", new QueueOutput("q", "out-q")),
            "serviceBus" => FunctionDefinition.ServiceBus("s", "%Q%", new ServiceBusOutput("o", "next-q")),
            "queue" => FunctionDefinition.StorageQueue("q", "in-q"),
            "http" => FunctionDefinition.Http("h", "h/{*p}", AuthorizationLevel.Admin, "get", "delete"),
            _ => FunctionDefinition.HttpWithOutputs("e", "e/{id}", AuthorizationLevel.Function, ["post"], new ServiceBusOutput("o", "next-q")),
        };

        Assert.Empty(FunctionJsonSchema.Validate(FunctionJson.Write(definition)));
    }

    [Fact]
    public void SchemaChecker_CatchesWhatTheSchemaForbids()
    {
        var problems = FunctionJsonSchema.Validate("""
            {"bindings":[{"type":"httpTrigger","direction":"out","name":"req","authLevel":"owner","methods":["GET"]},{"type":"timerTrigger","name":"t"}],"extra":1}
            """);

        Assert.Contains(problems, p => p.Contains("direction 'in'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("authLevel 'owner'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("method 'GET'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'direction' is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'extra'", StringComparison.Ordinal));
    }

    [Fact]
    public void Writer_WritesOneFolderPerFunctionAndRemovesStaleOnes()
    {
        var root = Directory.CreateTempSubdirectory("rtgf-scriptroot-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "renamed-away"));
            File.WriteAllText(Path.Combine(root, "renamed-away", "function.json"), "{}");
            Directory.CreateDirectory(Path.Combine(root, "runtimes"));
            File.WriteAllText(Path.Combine(root, "runtimes", "keep.txt"), "not a function");
            var catalog = new FunctionCatalog([FunctionDefinition.ServiceBus("relay", "work"), FunctionDefinition.Timer("tick", "%S%")]);

            FunctionMetadataWriter.Write(catalog, root);
            var loaded = ScriptRoot.Load(WithHostJson(root));

            Assert.Equal(["relay", "tick"], loaded.Functions.Select(f => f.Name));
            Assert.False(Directory.Exists(Path.Combine(root, "renamed-away")));
            Assert.True(File.Exists(Path.Combine(root, "runtimes", "keep.txt")));
            Assert.Equal("serviceBusTrigger", loaded.Functions[0].Trigger.Type);
            Assert.Equal("work", loaded.Functions[0].Trigger.GetString("queueName"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string WithHostJson(string root)
    {
        File.WriteAllText(Path.Combine(root, "host.json"), """{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"App"}}}""");
        return root;
    }
}
