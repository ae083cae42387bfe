using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// One Stripe payment as a QuickBooks document: a paid invoice is a <c>SalesReceipt</c>, a refund a <c>RefundReceipt</c>.
/// QuickBooks' <c>DocNumber</c> holds at most 21 characters and a Stripe id is longer (<c>in_</c> + 24), so the Stripe id is
/// kept in full in <c>PrivateNote</c> (not queryable), and the requestid and <c>DocNumber</c> is a queryable digest of
/// it: <c>S</c> or <c>R</c> and 20 base-32 characters of its SHA-256 (100 bits).
/// </summary>
public sealed record ReceiptItem(string Entity, string StripeId, long AmountCents, string Currency, DateOnly Day, string Description)
{
    public const string Sales = "SalesReceipt";
    public const string Refund = "RefundReceipt";

    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public string DocNumber => DocNumberOf(Entity, StripeId);

    /// <summary>
    /// QuickBooks' requestid (at most 50 characters): the same for every try of one Stripe payment; from the DocNumber
    /// (the Stripe id's digest), so 26 characters however long Stripe's ids grow.
    /// </summary>
    public string RequestId => RequestIdOf(0);

    /// <summary>
    /// The requestid of one generation of the create: a recoverer that found no document raises the generation (on the
    /// ledger row, by ETag), so a create whose error answer QuickBooks would replay for its requestid is not stuck.
    /// </summary>
    public string RequestIdOf(int generation) => generation == 0 ? "rtgf-" + DocNumber : string.Create(CultureInfo.InvariantCulture, $"rtgf-{DocNumber}-{generation}");

    public decimal Amount => AmountCents / 100m;

    public static string DocNumberOf(string entity, string stripeId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(stripeId));
        var text = new StringBuilder(entity == Sales ? "S" : "R", 21);
        for (var i = 0; i < 20; i++)
        {
            // 5 bits at a time from the hash's first 100 bits.
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8 | hash[(bit / 8) + 1]) >> (11 - (bit % 8))) & 31;
            text.Append(Base32[value]);
        }

        return text.ToString();
    }

    public JsonObject ToDocument(QuickBooksSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var document = new JsonObject
        {
            ["DocNumber"] = DocNumber,
            ["TxnDate"] = Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["PrivateNote"] = $"Stripe {(Entity == Sales ? "invoice" : "refund")} {StripeId}",
            ["Line"] = new JsonArray(new JsonObject
            {
                ["Amount"] = Amount,
                ["Description"] = Description.Length > 4000 ? Description[..4000] : Description,
                ["DetailType"] = "SalesItemLineDetail",
                ["SalesItemLineDetail"] = new JsonObject
                {
                    ["ItemRef"] = new JsonObject { ["value"] = settings.ItemId },
                    ["Qty"] = 1,
                    ["UnitPrice"] = Amount,
                },
            }),
        };
        if (settings.TaxCodeId is { } taxCode)
        {
            // Stripe's amounts include GST: the line is tax-inclusive, so TotalAmt stays the amount paid.
            document["GlobalTaxCalculation"] = "TaxInclusive";
            document["Line"]![0]!["SalesItemLineDetail"]!["TaxCodeRef"] = new JsonObject { ["value"] = taxCode };
        }

        if (Entity == Refund)
        {
            document["DepositToAccountRef"] = new JsonObject { ["value"] = settings.RefundAccountId };
        }

        return document;
    }
}
