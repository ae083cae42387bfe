using Rtgf.Compiler.Input;
using Rtgf.Compiler.Policy;
using Rtgf.Core.Encoding;

namespace Rtgf.Compiler.Families;

/// <summary><c>cricos-course</c>: one token per (provider, course), expired or not, with the provider's name when the snapshot has it.</summary>
internal sealed class CricosCourseBuilder(FamilyPolicy policy, SourceRecords cricos)
    : SortedFamilyBuilder<CricosCourseEntry>(cricos.Source, cricos.CricosCourses.Select(c => (policy.Subject.Format(c.ProviderCode, c.CourseCode), c)))
{
    private readonly Dictionary<string, string> _providers = cricos.CricosProviders
        .GroupBy(p => p.ProviderCode, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().InstitutionName, StringComparer.Ordinal);

    protected override void WriteFacts(CricosCourseEntry item, CanonicalJsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("course_code", item.CourseCode);
        WriteNullable(writer, "course_level", item.CourseLevel);
        writer.WritePropertyName("duration_weeks");
        if (item.DurationWeeks is { } weeks)
        {
            writer.WriteNumber(weeks);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WritePropertyName("expired");
        writer.WriteBoolean(item.Expired);
        writer.WritePropertyName("fees");
        writer.WriteStartObject();
        WriteNullable(writer, "estimated_total", item.EstimatedTotalCost);
        WriteNullable(writer, "non_tuition", item.NonTuitionFee);
        WriteNullable(writer, "tuition", item.TuitionFee);
        writer.WriteEndObject();
        WriteStrings(writer, "locations", item.Locations.Order(StringComparer.Ordinal));
        writer.WriteString("name", item.CourseName);
        writer.WriteString("provider_code", item.ProviderCode);
        WriteNullable(writer, "provider_name", _providers.GetValueOrDefault(item.ProviderCode));
        WriteNullable(writer, "vet_national_code", item.VetNationalCode);
        writer.WriteEndObject();
    }
}
