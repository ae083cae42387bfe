using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests;

/// <summary>Every Azurite test in this assembly shares one Azurite; each test namespaces its tables and containers.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
