namespace Rtgf.Register;

/// <summary>The snapshot sources the register reads (the pipeline's source names).</summary>
public static class RegisterSources
{
    public const string Tga = "tga";
    public const string Cricos = "cricos";
    public const string Teqsa = "teqsa";
    public const string Sanctions = "sanctions";
    public const string Osl = "osl";
    public const string Ivi = "ivi";
    public const string Abs = "abs";
}
