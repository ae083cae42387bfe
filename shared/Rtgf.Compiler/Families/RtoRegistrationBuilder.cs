using Rtgf.Compiler.Input;
using Rtgf.Compiler.Policy;
using Rtgf.Core.Encoding;

namespace Rtgf.Compiler.Families;

/// <summary>
/// <c>rto-registration</c>: one token per organisation: identity, status, registration manager and period, and its scope
/// as predicates. A scope of at most <c>maxScopeItems</c> rows is carried inline (<c>scope.items</c>); a larger one is
/// carried as its count, digest and number of <c>rto-scope</c> parts, each part a token of its own.
/// </summary>
internal sealed class RtoRegistrationBuilder(FamilyPolicy policy, SourceRecords tga, ScopeIndex scope)
    : SortedFamilyBuilder<RtoEntry>(tga.Source, tga.Rtos.Select(r => (policy.Subject.Format(r.Code), r)))
{
    private readonly int _maxItems = policy.MaxScopeItems ?? int.MaxValue;

    public static int PartsFor(int items, int maxItems) => items <= maxItems ? 0 : (items + maxItems - 1) / maxItems;

    protected override void WriteFacts(RtoEntry item, CanonicalJsonWriter writer)
    {
        var group = scope.Of(item.Code);
        writer.WriteStartObject();
        WriteNullable(writer, "abn", item.Abn);
        writer.WriteString("code", item.Code);
        WriteNullable(writer, "legal_name", item.LegalName);
        WriteNullable(writer, "registration_end", item.RegistrationEnd);
        WriteNullable(writer, "registration_manager", item.RegistrationManager);
        WriteNullable(writer, "registration_start", item.RegistrationStart);
        writer.WritePropertyName("scope");
        writer.WriteStartObject();
        writer.WriteNumber("count", group.Items.Length);
        writer.WriteString("digest", group.Digest);
        var parts = PartsFor(group.Items.Length, _maxItems);
        if (parts == 0)
        {
            writer.WritePropertyName("items");
            ScopeIndex.WriteItems(writer, group.Items, 0, group.Items.Length);
        }
        else
        {
            writer.WriteNumber("parts", parts);
        }

        writer.WriteEndObject();
        WriteNullable(writer, "status", item.Status);
        WriteStrings(writer, "trading_names", item.TradingNames.Order(StringComparer.Ordinal));
        writer.WriteEndObject();
    }
}
