namespace Rtgf.UpstreamSimulator.World;

/// <summary>Training component types the simulator produces (TGA's TrainingComponentTypes flag names).</summary>
internal enum ComponentKind
{
    Qualification,
    Unit,
    SkillSet,
    AccreditedCourse,
}
