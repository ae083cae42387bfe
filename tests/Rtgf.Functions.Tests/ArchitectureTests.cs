using System.Xml.Linq;
using Rtgf.Tooling;

namespace Rtgf.Functions.Tests;

/// <summary>Azure stays at the edge: only Rtgf.Azure (and the hosts that compose it) may reference Azure packages.</summary>
public sealed class ArchitectureTests
{
    private static readonly string Root = RepositoryLayout.FindRoot();

    [Theory]
    [InlineData("shared/Rtgf.Core/Rtgf.Core.csproj")]
    [InlineData("shared/Rtgf.Transparency/Rtgf.Transparency.csproj")]
    [InlineData("shared/Rtgf.Ingestion/Rtgf.Ingestion.csproj")]
    [InlineData("shared/Rtgf.Compiler/Rtgf.Compiler.csproj")]
    [InlineData("shared/Rtgf.Pipeline/Rtgf.Pipeline.csproj")]
    public void DomainProjects_ReferenceNoAzurePackageAndNoAzureProject(string project)
    {
        var document = XDocument.Load(Path.Combine(Root, project));
        var packages = document.Descendants("PackageReference").Select(e => (string?)e.Attribute("Include") ?? "");
        var projects = document.Descendants("ProjectReference").Select(e => (string?)e.Attribute("Include") ?? "");

        Assert.DoesNotContain(packages, p => p.StartsWith("Azure.", StringComparison.Ordinal));
        Assert.DoesNotContain(projects, p => p.Contains("Rtgf.Azure", StringComparison.Ordinal));
    }

    [Fact]
    public void RtgfCore_DependsOnNothingElseInTheRepository()
    {
        var document = XDocument.Load(Path.Combine(Root, "shared", "Rtgf.Core", "Rtgf.Core.csproj"));

        Assert.Empty(document.Descendants("ProjectReference"));
        Assert.Empty(document.Descendants("PackageReference"));
    }
}
