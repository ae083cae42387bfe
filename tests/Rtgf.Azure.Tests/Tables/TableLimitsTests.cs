using Azure.Data.Tables;
using Rtgf.Azure.Tables;

namespace Rtgf.Azure.Tests.Tables;

public sealed class TableLimitsTests
{
    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\tb")]
    [InlineData("a\u0000b")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u0085b")]
    public void ValidateKey_IllegalCharacter_IsRefusedWithItsPosition(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => TableLimits.ValidateKey(key, "RowKey"));

        Assert.Contains("position 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("RowKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateKey_Length_AllowsOneKibibyteOfUtf16()
    {
        TableLimits.ValidateKey(new string('k', 512), "PartitionKey");
        var error = Assert.Throws<ArgumentException>(() => TableLimits.ValidateKey(new string('k', 513), "PartitionKey"));

        Assert.Contains("513", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateKey_EmptyAndUnicode_AreAllowed()
    {
        TableLimits.ValidateKey(string.Empty, "PartitionKey");
        TableLimits.ValidateKey("Ōtautahi O'Brien 100% +", "RowKey");
    }

    [Fact]
    public void ValidateEntity_TwoMebibytes_IsRefusedWithItsSize()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 32; i++)
        {
            entity[$"Chunk{i:D2}"] = new string('x', 32 * 1024); // each legal; 4 + 2 × 2 + 32 × (8 + 7 × 2 + 4 + 65,536) = 2,097,992 bytes
        }

        var error = Assert.Throws<ArgumentException>(() => TableLimits.ValidateEntity(entity));

        Assert.Contains("2,097,992", error.Message, StringComparison.Ordinal);
        Assert.Contains("1,048,576", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateEntity_JustUnderOneMebibyte_IsAccepted()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 15; i++)
        {
            entity[$"Chunk{i:D2}"] = new string('x', 32 * 1024); // 15 × 65,536 + overhead < 1 MiB
        }

        TableLimits.ValidateEntity(entity);
    }

    [Fact]
    public void ValidateEntity_OversizedStringAndBinary_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => TableLimits.ValidateEntity(new TableEntity("p", "r") { ["S"] = new string('x', (32 * 1024) + 1) }));
        Assert.Throws<ArgumentException>(() => TableLimits.ValidateEntity(new TableEntity("p", "r") { ["B"] = new byte[(64 * 1024) + 1] }));
    }

    [Fact]
    public void ValidateEntity_TooManyProperties_IsRefused()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 253; i++)
        {
            entity[$"P{i}"] = i;
        }

        var error = Assert.Throws<ArgumentException>(() => TableLimits.ValidateEntity(entity));

        Assert.Contains("252", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateEntity_TheSdksKeysAndETag_DoNotCountAsProperties()
    {
        // The SDK's entity is a dictionary holding PartitionKey and RowKey (and, once read, Timestamp and odata.etag).
        var entity = new TableEntity("p", "r") { ETag = new global::Azure.ETag("W/\"1\""), Timestamp = DateTimeOffset.UnixEpoch };
        for (var i = 0; i < 252; i++)
        {
            entity[$"P{i}"] = i;
        }

        TableLimits.ValidateEntity(entity);
        Assert.Same(entity, TableLimits.Checked(entity));
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("has space")]
    [InlineData("dash-ed")]
    [InlineData("odata.type")]
    [InlineData("a@b")]
    public void ValidateEntity_PropertyNameThatIsNotAnIdentifier_IsRefused(string name)
    {
        var entity = new TableEntity("p", "r") { [name] = 1 };

        var error = Assert.Throws<ArgumentException>(() => TableLimits.ValidateEntity(entity));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateEntity_DateBefore1601_IsRefused()
    {
        var entity = new TableEntity("p", "r") { ["Old"] = new DateTimeOffset(1600, 12, 31, 0, 0, 0, TimeSpan.Zero) };

        Assert.Throws<ArgumentException>(() => TableLimits.ValidateEntity(entity));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    [InlineData("tables")]
    public void ValidateTableName_Illegal_IsRefused(string name) =>
        Assert.Throws<ArgumentException>(() => TableLimits.ValidateTableName(name));

    [Theory]
    [InlineData("abc")]
    [InlineData("IngestRuns")]
    [InlineData("t0001")]
    public void ValidateTableName_Legal_IsAccepted(string name) => TableLimits.ValidateTableName(name);
}
