using System.Security.Cryptography;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// The issuer key of local runs: a P-256 PKCS#8 PEM created once, readable by its owner only, and kept outside the
/// repository's tracked files (artifacts/ is git-ignored). Its contents are never printed.
/// </summary>
internal static class DevelopmentIssuerKey
{
    public const string FileName = "dev-issuer-key.pem";

    /// <summary>Creates the key at <paramref name="path"/> unless a file is already there; true when it was created.</summary>
    public static bool Ensure(string path)
    {
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
            writer.Write(pem);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false; // another runner created it first; use that one
        }

        return true;
    }
}
