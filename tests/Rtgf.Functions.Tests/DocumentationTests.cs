using System.Reflection;
using System.Text.RegularExpressions;
using Rtgf.Functions.Http;
using Rtgf.Tooling;

namespace Rtgf.Functions.Tests;

/// <summary>The docs say what the code does: checked on every test run.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string Root = RepositoryLayout.FindRoot();

    [Fact]
    public void Readme_OpensWithAQuickstartOfTheRunAndTestCommands()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var firstSection = readme.IndexOf("\n## ", StringComparison.Ordinal);
        Assert.Equal("\n## Quickstart\n", readme.Substring(firstSection, "\n## Quickstart\n".Length));

        var block = FencedBlock().Match(readme, firstSection);
        Assert.True(block.Success, "the quickstart has no ```sh block");
        var commands = block.Groups["body"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["dotnet run --project tools/Rtgf.LocalRunner", "dotnet test Rtgf.Functions.sln"], commands);

        var ci = File.ReadAllLines(Path.Combine(Root, ".ci", "run")).Select(l => l.Trim());
        Assert.Contains(commands[1], ci);
    }

    [Fact]
    public void Readme_LayoutNamesEveryProject()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var projects = new[] { "functions", "shared", "tools" }
            .SelectMany(folder => Directory.EnumerateDirectories(Path.Combine(Root, folder)))
            .Where(d => Directory.EnumerateFiles(d, "*.csproj").Any())
            .Select(d => Path.GetRelativePath(Root, d).Replace('\\', '/'))
            .Where(p => !p.EndsWith(".MinimalApp", StringComparison.Ordinal));

        Assert.All(projects, p => Assert.Contains(p, readme, StringComparison.Ordinal));
    }

    [Fact]
    public void RelativeLinks_InTheReadmeAndDocs_Resolve()
    {
        var documents = Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(Root, "README.md"));
        var checkedLinks = 0;
        foreach (var document in documents)
        {
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(document)))
            {
                var target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal))
                {
                    continue;
                }

                checkedLinks++;
                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, target));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{Path.GetRelativePath(Root, document)} links to {target}, which does not exist");
            }
        }

        Assert.True(checkedLinks >= 5, $"only {checkedLinks} relative links were found: is the link pattern still right?");
    }

    [Fact]
    public void ApiSpec_ListsEveryAreaAndEveryProblemType()
    {
        var spec = File.ReadAllText(Path.Combine(Root, "docs", "spec", "api.md"));
        foreach (var area in Rtgf.Functions.Functions.FunctionIndex.ForApp().Areas)
        {
            Assert.Contains($"| {area.Name} | `{area.Path}` |", spec, StringComparison.Ordinal);
        }

        var problemTypes = typeof(ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);
        Assert.All(problemTypes, type => Assert.Contains($"`{type}`", spec, StringComparison.Ordinal));
    }

    [Fact]
    public void Benchmarks_NameCommandsThatExist()
    {
        var benchmarks = File.ReadAllText(Path.Combine(Root, "docs", "benchmarks.md"));

        Assert.Contains("--filter '*StorageThroughput*'", benchmarks, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Root, "tools", "Rtgf.Benchmarks", "Storage", "StorageThroughputBenchmarks.cs")));
        Assert.Contains("-- startup 20", benchmarks, StringComparison.Ordinal);
        Assert.Contains("[\"startup\",", File.ReadAllText(Path.Combine(Root, "tools", "Rtgf.Benchmarks", "Program.cs")), StringComparison.Ordinal);

        // Every bench command and BenchmarkDotNet filter the doc names must exist in the benchmarks project.
        var program = File.ReadAllText(Path.Combine(Root, "tools", "Rtgf.Benchmarks", "Program.cs"));
        // The README's benchmark block names every bench command; each must be dispatched by Program.cs and documented.
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var commands = System.Text.RegularExpressions.Regex.Matches(readme, @"Rtgf\.Benchmarks -- (?<command>[a-z][a-z0-9-]+)")
            .Select(m => m.Groups["command"].Value).Distinct(StringComparer.Ordinal).ToList();
        Assert.Superset(new HashSet<string>(["verify-vs-openssl", "sign-volume", "compile-national", "national-sync", "publish-chain", "verify-load"], StringComparer.Ordinal), commands.ToHashSet(StringComparer.Ordinal));
        foreach (var command in commands)
        {
            Assert.Contains($"-- {command}", benchmarks, StringComparison.Ordinal);
            Assert.Contains($"[\"{command}\",", program, StringComparison.Ordinal);
        }

        var benchmarkClasses = Directory.EnumerateFiles(Path.Combine(Root, "tools", "Rtgf.Benchmarks"), "*Benchmarks.cs", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension).ToList();
        foreach (Match filter in BenchmarkFilter().Matches(benchmarks))
        {
            var name = filter.Groups["name"].Value;
            Assert.True(benchmarkClasses.Any(c => c!.Contains(name, StringComparison.Ordinal)), $"docs/benchmarks.md filters on '*{name}*', which matches no benchmark class");
        }
    }

    [GeneratedRegex(@"--filter '\*(?<name>[A-Za-z0-9]+)\*'")]
    private static partial Regex BenchmarkFilter();

    [GeneratedRegex("```sh\\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
