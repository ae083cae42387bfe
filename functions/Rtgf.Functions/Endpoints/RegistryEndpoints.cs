using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Http;
using Rtgf.Functions.Log;
using Rtgf.Functions.Verification;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Registry;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>A published API area: its root path and the key it needs.</summary>
public sealed record DiscoveryArea(string Name, string Path, string AuthLevel);

/// <summary>Where the registry's resources live (absolute URLs).</summary>
internal sealed record DiscoveryEndpoints(string Tokens, string Catalog, string Log, string Checkpoint, string Verify, string VerifyBatch, string Revocations, string StatusLists, string OpenApi);

/// <summary>The transparency log's identity: its origin line and its signed-note verifier key (<c>name+keyid+base64</c>).</summary>
internal sealed record DiscoveryLog(string Origin, string PublicKey);

/// <summary><c>GET /.well-known/rtgf</c>: who issues, where the keys, APIs and log are, the current revocation epoch and the families.</summary>
internal sealed record RtgfDiscovery(
    string Issuer,
    string JwksUri,
    DiscoveryEndpoints Endpoints,
    DiscoveryLog Log,
    long RevEpoch,
    IReadOnlyList<string> Families,
    IReadOnlyList<DiscoveryArea> Areas);

/// <summary>
/// The registry's <c>/.well-known/</c> root: the discovery document and the JWKS. Both change rarely, so they carry a
/// strong ETag and a short max-age, and conditional GETs answer 304.
/// </summary>
internal static class RegistryEndpoints
{
    internal static async Task<FileContentHttpResult> GetDiscoveryAsync(
        HttpContext http,
        FunctionIndex index,
        IOptions<IssuerOptions> issuer,
        IOptions<HttpJsonOptions> json,
        [FromServices] ITokenRegistry registry,
        [FromServices] StatusLists statusLists,
        [FromServices] TransparencyLog log,
        CancellationToken cancellationToken)
    {
        var options = issuer.Value;
        var root = options.PublicBaseUrl.TrimEnd('/');
        var areas = index.Areas.Select(a => new DiscoveryArea(a.Name, a.Path, a.AuthLevel)).ToList();
        var families = (await registry.GetFamiliesAsync(cancellationToken).ConfigureAwait(false)).Select(f => f.Family).Order(StringComparer.Ordinal).ToList();
        var key = await log.GetVerifierKeyAsync(cancellationToken).ConfigureAwait(false);
        var document = new RtgfDiscovery(
            options.Issuer,
            root + "/.well-known/jwks.json",
            new DiscoveryEndpoints(
                root + "/tokens",
                root + "/catalog",
                root + "/log/",
                root + "/log/checkpoint",
                root + "/verify",
                root + "/verify/batch",
                root + "/revocations",
                root + "/revocations/status-lists/",
                root + OpenApiEndpoints.DocumentPath),
            new DiscoveryLog(log.Origin, key.ToString()),
            await statusLists.GetEpochAsync(cancellationToken).ConfigureAwait(false),
            families,
            areas);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, json.Value.SerializerOptions);
        return HttpCaching.ShortLivedBytes(http, bytes, "application/json");
    }

    internal static async Task<FileContentHttpResult> GetJwksAsync(HttpContext http, [FromServices] KeySetVerifiers keySets, CancellationToken cancellationToken)
    {
        var keys = await keySets.GetAsync(cancellationToken).ConfigureAwait(false);
        return HttpCaching.ShortLivedBytes(http, keys.Json, "application/json", keys.ETag);
    }
}
