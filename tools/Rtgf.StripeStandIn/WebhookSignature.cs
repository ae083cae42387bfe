using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rtgf.StripeStandIn;

/// <summary>Stripe's webhook signature: <c>t={unix},v1={hex HMAC-SHA256(secret, "{t}.{body}")}</c>.</summary>
public static class WebhookSignature
{
    public static string Sign(string body, string secret, long timestamp)
    {
        var t = timestamp.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
