using System.Globalization;
using Rtgf.Compiler.Input;
using Rtgf.Compiler.Policy;
using Rtgf.Core.Encoding;

namespace Rtgf.Compiler.Families;

/// <summary>
/// <c>rto-scope</c>: the parts of scopes above <c>maxScopeItems</c> (of <c>rto-registration</c>). Part <c>n</c> holds items
/// <c>[(n-1)·max, n·max)</c> of the organisation's component-ordered scope, with the whole scope's count and digest.
/// </summary>
internal sealed class RtoScopeBuilder(FamilyPolicy policy, SourceRecords tga, ScopeIndex scope, int maxItems)
    : SortedFamilyBuilder<ScopePart>(tga.Source, Parts(policy, tga, scope, maxItems))
{
    protected override void WriteFacts(ScopePart item, CanonicalJsonWriter writer)
    {
        var start = (item.Number - 1) * maxItems;
        var count = Math.Min(maxItems, item.Group.Items.Length - start);
        writer.WriteStartObject();
        writer.WriteString("code", item.Rto.Code);
        writer.WriteNumber("count", item.Group.Items.Length);
        writer.WriteString("digest", item.Group.Digest);
        writer.WritePropertyName("items");
        ScopeIndex.WriteItems(writer, item.Group.Items, start, count);
        writer.WriteNumber("part", item.Number);
        writer.WriteNumber("parts", item.Parts);
        writer.WriteEndObject();
    }

    private static IEnumerable<(string, ScopePart)> Parts(FamilyPolicy policy, SourceRecords tga, ScopeIndex scope, int maxItems)
    {
        foreach (var rto in tga.Rtos)
        {
            var group = scope.Of(rto.Code);
            var parts = RtoRegistrationBuilder.PartsFor(group.Items.Length, maxItems);
            for (var n = 1; n <= parts; n++)
            {
                yield return (policy.Subject.Format(rto.Code, n.ToString(CultureInfo.InvariantCulture)), new ScopePart(rto, group, n, parts));
            }
        }
    }
}
