using Xunit;
using Rtgf.StripeStandIn;

namespace Rtgf.Testing;

/// <summary>
/// A Stripe stand-in in process on a loopback port, on a manual clock (<see cref="Start"/>): for Stripe.net,
/// <c>new StripeClient(SecretKey, apiBase: ApiBase)</c>; for the app, <see cref="Settings"/>; for scenarios, <see cref="Admin"/>.
/// As an xunit fixture it uses the default options; <see cref="StartAsync"/> takes others (a webhook URL, prices).
/// </summary>
#pragma warning disable CA1001 // xunit (or the test that started it) disposes it through IAsyncLifetime.DisposeAsync
public sealed class StripeStandInFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private StripeStandInServer? _server;
    private HttpClient? _http;

    public StripeStandInServer Server => _server ?? throw new InvalidOperationException("The stand-in is not started.");

    /// <summary>The clock the stand-in runs on (unless other options gave another).</summary>
    public ManualTimeProvider Clock { get; } = new(Start);

    /// <summary><c>http://127.0.0.1:{port}</c>, no trailing slash: Stripe.net's <c>apiBase</c> and <c>Stripe:ApiBase</c>.</summary>
    public string ApiBase => Server.BaseAddress.AbsoluteUri.TrimEnd('/');

    public string SecretKey => Server.Options.SecretKey;

    public string WebhookSecret => Server.Options.WebhookSecret;

    public StripeStandInAdmin Admin { get; private set; } = null!;

    /// <summary>The app's settings that point it at this stand-in.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Stripe:ApiBase"] = ApiBase,
        ["Stripe:SecretKey"] = SecretKey,
        ["Stripe:WebhookSecret"] = WebhookSecret,
    };

    public Task InitializeAsync() => StartAsync(null);

    /// <summary>Starts with these options (their clock defaults to <see cref="Clock"/>).</summary>
    public async Task StartAsync(StripeStandInOptions? options)
    {
        options ??= new StripeStandInOptions { TimeProvider = Clock };
        _server = await StripeStandInServer.StartAsync(options).ConfigureAwait(false);
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
        Admin = new StripeStandInAdmin(_http);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
