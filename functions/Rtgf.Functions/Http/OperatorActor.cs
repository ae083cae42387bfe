using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Rtgf.Functions.Http;

/// <summary>
/// Who performed an operator action (<c>POST /ops/freeze/clear</c>, <c>POST /ops/revocations</c>): the actor written into
/// the append-only transparency log, so it must be something the caller could not simply choose.
/// </summary>
/// <remarks>
/// <para>
/// Trust rule. The <c>X-MS-CLIENT-PRINCIPAL-ID</c>/<c>-NAME</c> headers are believed only when App Service authentication
/// ("Easy Auth") is on, as the platform says with <c>WEBSITE_AUTH_ENABLED=true</c>: only then does the platform strip
/// these headers from incoming requests and set them itself. Without it they are plain client headers, and the Functions
/// host forwards them to the worker untouched. The test is the host's own (<c>bool.TryParse</c> of that variable, as
/// its key handler does before it trusts an App Service identity).
/// </para>
/// <para>
/// Otherwise the actor is <see cref="AdminKey"/>. The /ops functions are Admin level, so only the master key (key name
/// <c>master</c>) or a platform-issued admin token passes the host; the host does not tell an HTTP-proxying worker which
/// (the key-name claim stays in the host), and the key itself reaches the worker in <c>x-functions-key</c> or
/// <c>code</c>, which is never read here.
/// </para>
/// </remarks>
internal static class OperatorActor
{
    /// <summary>The actor when no platform-authenticated principal is known: the host let the request through at Admin level.</summary>
    public const string AdminKey = "admin-key";

    /// <summary>The platform's signal that App Service authentication is on (set by App Service, not by us).</summary>
    public const string EasyAuthEnabledSetting = "WEBSITE_AUTH_ENABLED";

    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    /// <summary>Longer principal values are refused, not cut: a cut value could name someone else.</summary>
    public const int MaxLength = 200;

    /// <summary>The actor for <paramref name="request"/>, given the app's settings (environment variables included).</summary>
    public static string From(HttpRequest request, IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);

        if (!IsEasyAuthEnabled(settings[EasyAuthEnabledSetting]))
        {
            return AdminKey;
        }

        return Principal(request.Headers[PrincipalIdHeader]) ?? Principal(request.Headers[PrincipalNameHeader]) ?? AdminKey;
    }

    /// <summary>The host's test (Microsoft.Azure.WebJobs.Script EnvironmentExtensions.IsEasyAuthEnabled): "true", any case.</summary>
    private static bool IsEasyAuthEnabled(string? value) => bool.TryParse(value, out var enabled) && enabled;

    /// <summary>One header value that is safe to log as is, else <see langword="null"/>.</summary>
    private static string? Principal(StringValues values)
    {
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= MaxLength } text || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // No control or format characters (line breaks, bidi overrides) and no broken surrogates: the log is read by people.
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != OperationStatus.Done
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return null;
            }

            i += consumed;
        }

        return text;
    }
}
