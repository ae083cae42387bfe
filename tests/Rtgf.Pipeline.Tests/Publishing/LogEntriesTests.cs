using System.Text;
using System.Text.Json;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Publishing;
using Rtgf.Transparency.Entries;

namespace Rtgf.Pipeline.Tests.Publishing;

public sealed class LogEntriesTests
{
    [Fact]
    public void Revocation_EveryOtherSlotOfAFullList_StaysAValidEntryAndDecodesToThoseSlots()
    {
        // The worst case for size: half of a 65,536-slot list changed, in a pattern compression cannot shrink to nothing.
        var changed = new StatusList(Publisher.ListCapacity);
        var expected = Enumerable.Range(0, Publisher.ListCapacity).Where(i => i % 2 == 0).ToList();
        foreach (var i in expected)
        {
            changed[i] = StatusList.Invalid;
        }

        var entry = LogEntries.Revocation("https://rtgf.example/revocations/status-lists/rto-registration/0", 7, "a.b.c", changed, expected.Count);

        Assert.Equal("revocation", LogEntryValidator.Validate(Encoding.UTF8.GetBytes(entry)));
        using var json = JsonDocument.Parse(entry);
        var node = json.RootElement.GetProperty("changed");
        Assert.Equal(expected.Count, node.GetProperty("count").GetInt32());
        var decoded = StatusList.Decode(node.GetProperty("lst").GetString()!, node.GetProperty("bits").GetInt32());
        Assert.Equal(expected, Enumerable.Range(0, decoded.Capacity).Where(i => decoded[i] == StatusList.Invalid));
    }
}
