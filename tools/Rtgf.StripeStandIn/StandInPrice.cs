namespace Rtgf.StripeStandIn;

/// <summary>A recurring price the stand-in knows (Stripe prices are made in the dashboard; here they are seeded).</summary>
/// <param name="Id">The price id (<c>price_standard_monthly</c>).</param>
/// <param name="Plan">The product it sells, kept as the price's <c>lookup_key</c> and <c>metadata[plan]</c>.</param>
/// <param name="UnitAmount">Minor units (cents) per period.</param>
/// <param name="Currency">Lowercase ISO currency.</param>
/// <param name="Interval"><c>month</c> or <c>year</c>.</param>
public sealed record StandInPrice(string Id, string Plan, long UnitAmount, string Currency = "aud", string Interval = "month");
