using Azure.Data.Tables;
using Rtgf.Azure.Tables;

namespace Rtgf.Azure.Tests.Tables;

public sealed class EntityJsonTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(EntityJson.PartChars)]
    [InlineData(EntityJson.PartChars + 1)]
    [InlineData((3 * EntityJson.PartChars) + 17)]
    public void Write_ThenRead_GivesTheDocumentBack(int length)
    {
        var json = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));
        var entity = EntityJson.Write(new TableEntity("p", "r"), json);

        Assert.Equal(json, EntityJson.Read(entity));
        Assert.Equal(Math.Max(1, (length + EntityJson.PartChars - 1) / EntityJson.PartChars), entity.GetInt32(EntityJson.PartsProperty));
        TableLimits.ValidateEntity(entity); // every part fits a string property
    }

    [Fact]
    public void Read_MissingPart_IsAFormatErrorNamingIt()
    {
        var entity = EntityJson.Write(new TableEntity("p", "r"), new string('x', EntityJson.PartChars + 5));
        entity.Remove("Json1");

        var error = Assert.Throws<FormatException>(() => EntityJson.Read(entity));

        Assert.Contains("Json1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RowNotWrittenByUs_IsAFormatError() =>
        Assert.Throws<FormatException>(() => EntityJson.Read(new TableEntity("p", "r") { ["Json"] = "{}" }));
}
