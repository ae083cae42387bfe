namespace Rtgf.Ingestion.Tga;

/// <summary>Which component types a TGA search includes (the WSDL's <c>TrainingComponentTypeFilter</c>).</summary>
public sealed record TrainingComponentTypeFilter(
    bool AccreditedCourse = false,
    bool AccreditedCourseModule = false,
    bool Qualification = false,
    bool SkillSet = false,
    bool TrainingPackage = false,
    bool Unit = false,
    bool UnitContextualisation = false)
{
    public static TrainingComponentTypeFilter All { get; } = new(true, true, true, true, true, true, true);
}
