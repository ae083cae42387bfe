namespace Rtgf.CustomHandler.Catalog;

/// <summary>What starts a function. The binding name is the key of its value in the invocation's <c>Data</c>.</summary>
public abstract record FunctionTrigger(string BindingName)
{
    /// <summary>The function.json <c>type</c> of the trigger binding.</summary>
    public abstract string BindingType { get; }
}
