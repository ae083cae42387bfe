using System.Security.Cryptography;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>The issuer key of local runs: a P-256 PKCS#8 PEM in an owner-only file (<see cref="OwnerOnlyFile"/>).</summary>
internal static class DevelopmentIssuerKey
{
    public const string FileName = "dev-issuer-key.pem";

    /// <summary>Creates the key at <paramref name="path"/> unless a file is already there; true when it was created.</summary>
    public static bool Ensure(string path) => OwnerOnlyFile.Ensure(path, "development issuer key", static () =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    });
}
