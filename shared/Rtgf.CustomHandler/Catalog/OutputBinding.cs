namespace Rtgf.CustomHandler.Catalog;

/// <summary>Where a function's outputs go. The name is the key the handler sets in <c>Outputs</c>.</summary>
public abstract record OutputBinding(string Name)
{
    /// <summary>The function.json <c>type</c> of the output binding.</summary>
    public abstract string BindingType { get; }
}
