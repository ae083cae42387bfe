using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests;

/// <summary>Every test in this assembly shares one Azurite, started before the first and stopped after the last.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
