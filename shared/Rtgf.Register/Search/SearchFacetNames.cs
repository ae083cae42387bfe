namespace Rtgf.Register.Search;

/// <summary>The facets every search answers, in this order; the names match <see cref="SearchQuery"/>'s filters.</summary>
public static class SearchFacetNames
{
    public const string Kind = "kind";
    public const string Status = "status";
    public const string ComponentType = "componentType";
    public const string State = "state";
    public const string RegistrationManager = "registrationManager";

    public static IReadOnlyList<string> All { get; } = [Kind, Status, ComponentType, State, RegistrationManager];
}
