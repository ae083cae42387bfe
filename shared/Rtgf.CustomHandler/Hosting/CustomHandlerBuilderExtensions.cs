using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Rtgf.CustomHandler.Hosting;

/// <summary>Service registration for an app the Functions host runs as a custom handler.</summary>
public static class CustomHandlerBuilderExtensions
{
    /// <summary>The port the host tells the handler to listen on (also set as FUNCTIONS_HTTPWORKER_PORT).</summary>
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>
    /// Listens on <c>127.0.0.1:$FUNCTIONS_CUSTOMHANDLER_PORT</c> when the host sets it (otherwise on
    /// <c>--urls</c>/ASPNETCORE_URLS), logs structured lines with invocation scopes (JSON by default;
    /// <c>Logging__Console__FormatterName=simple</c> for people), and adds Problem Details.
    /// Nothing here does I/O: the host times the start-up.
    /// </summary>
    public static WebApplicationBuilder AddCustomHandler(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration[PortSetting] is { Length: > 0 } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new InvalidOperationException($"{PortSetting} must be a TCP port number, not '{portText}'.");
            }

            // The host calls http://127.0.0.1:{port}; an explicit listener overrides any URLs configured elsewhere.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        }

        builder.Logging.ClearProviders();
        if (string.Equals(builder.Configuration["Logging:Console:FormatterName"], "simple", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
        else
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }

        builder.Services.AddProblemDetails();
        builder.Services.TryAddSingleton(HostClock.System);
        builder.Services.TryAddSingleton<CustomHandlerOptions>();
        return builder;
    }
}
