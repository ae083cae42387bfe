using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>The publishing tests share one Azurite; each test works in its own tables and containers.</summary>
[CollectionDefinition(Name)]
public sealed class PublishingCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Publishing on Azurite";
}
