using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>The read-only /v1 tests share one published sample world (publishing it ingests the whole simulator).</summary>
[CollectionDefinition(Name)]
public sealed class PublicApiWorld : ICollectionFixture<PublishedWorldFixture>
{
    public const string Name = "public-api published world";
}
