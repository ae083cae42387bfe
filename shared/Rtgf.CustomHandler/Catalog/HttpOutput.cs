namespace Rtgf.CustomHandler.Catalog;

/// <summary>The HTTP response of an HTTP-triggered function.</summary>
public sealed record HttpOutput(string Name = HttpOutput.DefaultName) : OutputBinding(Name)
{
    public const string DefaultName = "res";

    public override string BindingType => "http";
}
