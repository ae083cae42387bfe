using Rtgf.UpstreamSimulator.Formats;

namespace Rtgf.UpstreamSimulator.Tests.Formats;

public sealed class XlsxWriterTests
{
    [Fact]
    public void Write_RoundTripsStringsNumbersAndBlanks_AndIsDeterministic()
    {
        List<IReadOnlyList<object?>> rows = [["A", "B", "C"], [" padded ", 45839, null], ["x", 1.5, "z"]];

        var bytes = XlsxWriter.Write("Sheet1", rows);
        var read = XlsxReader.Rows(bytes, out var header);

        Assert.Equal(["A", "B", "C"], header);
        Assert.Equal(" padded ", read[0]["A"]);
        Assert.Equal("45839", read[0]["B"]);
        Assert.Equal(string.Empty, read[0]["C"]);
        Assert.Equal("1.5", read[1]["B"]);
        Assert.Equal(bytes, XlsxWriter.Write("Sheet1", rows));
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(18, "S")]
    [InlineData(701, "ZZ")]
    public void Column_Index_IsTheSpreadsheetLetter(int index, string expected) => Assert.Equal(expected, XlsxWriter.Column(index));

    [Fact]
    public void Serial_IsExcelsDayNumber() => Assert.Equal(45839, XlsxWriter.Serial(new DateOnly(2025, 7, 1)));
}
