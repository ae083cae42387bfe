using Rtgf.Compiler.Policy;

namespace Rtgf.Compiler.Tests.Policy;

public sealed class SubjectTemplateTests
{
    [Fact]
    public void Format_PlaceholdersInAnyOrder_FillsThem()
    {
        var template = SubjectTemplate.Parse("cricos-course", "cricos:{course}@{provider}", ["provider", "course"]);
        Assert.Equal("cricos:012345A@00001A", template.Format("00001A", "012345A"));
    }

    [Fact]
    public void Format_PrefixAndCode_Concatenates() =>
        Assert.Equal("rto:90001", SubjectTemplate.Parse("rto-registration", "rto:{code}", ["code"]).Format("90001"));

    [Fact]
    public void Parse_StrayClosingBrace_Throws() =>
        Assert.Throws<PolicyMatrixException>(() => SubjectTemplate.Parse("rto-registration", "rto:}{code}", ["code"]));
}
