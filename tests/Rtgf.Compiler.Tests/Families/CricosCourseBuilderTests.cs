namespace Rtgf.Compiler.Tests.Families;

public sealed class CricosCourseBuilderTests
{
    [Fact]
    public void WriteFacts_CourseWithProvider_AllFactsAndFeesAsText()
    {
        Assert.Equal(
            """{"course_code":"012345A","course_level":"Certificate IV","duration_weeks":52,"expired":false,"fees":{"estimated_total":"12500.50","non_tuition":"500.50","tuition":"12000.00"},"locations":["Melbourne Campus","Sydney Campus"],"name":"Certificate IV in Business","provider_code":"00001A","provider_name":"Acme Training Pty Ltd","vet_national_code":"BSB40120"}""",
            CompiledFacts.Of("cricos-course", "cricos:00001A:012345A").GetRawText());
    }

    [Fact]
    public void WriteFacts_ExpiredCourse_StillIssuedAndSaysSo() =>
        Assert.True(CompiledFacts.Of("cricos-course", "cricos:00001A:054321B").GetProperty("expired").GetBoolean());

    [Fact]
    public void WriteFacts_UnknownProviderAndNonAsciiName_NullNameAndExactText()
    {
        var facts = CompiledFacts.Of("cricos-course", "cricos:00002B:099999C");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, facts.GetProperty("provider_name").ValueKind);
        Assert.Equal("Ünïcödé Course – 日本語", facts.GetProperty("name").GetString());
        Assert.Equal("1.50", facts.GetProperty("fees").GetProperty("tuition").GetString());
    }
}
