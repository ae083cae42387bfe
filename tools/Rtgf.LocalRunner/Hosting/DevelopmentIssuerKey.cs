using System.Security.Cryptography;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// The issuer key of local runs: a P-256 PKCS#8 PEM created once, readable by its owner only, and kept outside the
/// repository's tracked files (artifacts/ is git-ignored). Its contents are never printed.
/// </summary>
internal static class DevelopmentIssuerKey
{
    public const string FileName = "dev-issuer-key.pem";

    // Any group or other permission on a private key is refused, as ssh does (mode 0600 or stricter).
    private const UnixFileMode OthersMask = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates the key at <paramref name="path"/> unless a file is already there; true when it was created. An existing
    /// file that group or others may access is refused (on Unix; Windows has no mode bits, and the file keeps the ACL it
    /// inherits from its directory under the user's checkout).
    /// </summary>
    public static bool Ensure(string path)
    {
        if (File.Exists(path))
        {
            RefuseIfShared(path);
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

    private static void RefuseIfShared(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & OthersMask) != 0)
        {
            var octal = "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
            throw new RunnerException($"The development issuer key {path} has mode {octal}, so group or others can read it: run chmod 600 on it, or delete it to have a new one created.");
        }
    }
}
