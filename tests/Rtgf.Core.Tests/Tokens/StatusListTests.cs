using System.Globalization;
using System.Text.Json.Nodes;
using Rtgf.Core.Tokens;
using Rtgf.Testing;

namespace Rtgf.Core.Tests.Tokens;

public sealed class StatusListTests
{
    private static readonly JsonNode Vectors = JsonNode.Parse(File.ReadAllText(TestData.PathOf("vectors/status_list/token_status_list_vectors.json")))!;

    public static TheoryData<int> SmallExamples() => [.. Enumerable.Range(0, Vectors["small_examples"]!.AsArray().Count)];

    public static TheoryData<int> LongVectors() => [.. Enumerable.Range(0, Vectors["long_vectors"]!.AsArray().Count)];

    [Theory]
    [MemberData(nameof(SmallExamples))]
    public void Decode_DraftExample_YieldsItsStatusesAndBytes(int example)
    {
        var vector = Vectors["small_examples"]![example]!;
        var list = StatusList.Decode((string)vector["lst"]!, (int)vector["bits"]!);

        Assert.Equal((string)vector["byte_array_hex"]!, Convert.ToHexStringLower(list.Bytes));
        var statuses = vector["statuses"]!.AsArray().Select(s => (byte)(int)s!).ToArray();
        Assert.Equal(statuses, Enumerable.Range(0, statuses.Length).Select(i => list[i]).ToArray());
    }

    [Theory]
    [MemberData(nameof(SmallExamples))]
    public void Encode_DraftExample_RoundTripsToTheSameStatuses(int example)
    {
        var vector = Vectors["small_examples"]![example]!;
        var statuses = vector["statuses"]!.AsArray().Select(s => (byte)(int)s!).ToArray();
        var list = new StatusList(statuses.Length, (int)vector["bits"]!);
        for (var i = 0; i < statuses.Length; i++)
        {
            list[i] = statuses[i];
        }

        var decoded = StatusList.Decode(list.Encode(), list.Bits);

        Assert.Equal((string)vector["byte_array_hex"]!, Convert.ToHexStringLower(decoded.Bytes));
    }

    [Theory]
    [MemberData(nameof(LongVectors))]
    public void Decode_LongVector_HasExactlyTheListedStatusesSet(int example)
    {
        var vector = Vectors["long_vectors"]![example]!;
        var bits = (int)vector["bits"]!;
        var list = StatusList.Decode((string)vector["lst"]!, bits);
        var set = vector["set_statuses"]!.AsObject().ToDictionary(p => int.Parse(p.Key, CultureInfo.InvariantCulture), p => (byte)(int)p.Value!);

        Assert.Equal((int)vector["size"]!, list.Capacity);
        for (var i = 0; i < list.Capacity; i++)
        {
            Assert.Equal(set.GetValueOrDefault(i), list[i]);
        }
    }

    [Fact]
    public void Indexer_ValueTooLargeForBits_Throws()
    {
        var list = new StatusList(8, bits: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => list[3] = 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[8]);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void Decode_Malformed_ThrowsFormatException(string lst) =>
        Assert.Throws<FormatException>(() => StatusList.Decode(lst, 1));

    [Fact]
    public void Decode_ZipBomb_IsRefused()
    {
        var huge = new StatusList(200 * 1024 * 1024, bits: 1);

        var error = Assert.Throws<FormatException>(() => StatusList.Decode(huge.Encode(), 1));
        Assert.Contains("more than", error.Message, StringComparison.Ordinal);
    }
}
