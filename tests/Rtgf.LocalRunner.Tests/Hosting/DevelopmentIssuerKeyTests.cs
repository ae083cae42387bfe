using System.Security.Cryptography;
using Rtgf.LocalRunner.Hosting;

namespace Rtgf.LocalRunner.Tests.Hosting;

public sealed class DevelopmentIssuerKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-key-").FullName;

    [Fact]
    public void Ensure_NoFile_CreatesAnOwnerOnlyP256Pkcs8Pem()
    {
        var path = Path.Combine(_directory, "nested", DevelopmentIssuerKey.FileName);

        var created = DevelopmentIssuerKey.Ensure(path);

        Assert.True(created);
        var pem = File.ReadAllText(path);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, parameters.Curve.Oid.Value);
        Assert.NotNull(parameters.D);
    }

    [Fact]
    public void Ensure_ExistingKey_IsKeptSoTokensSurviveRestarts()
    {
        var path = Path.Combine(_directory, DevelopmentIssuerKey.FileName);
        DevelopmentIssuerKey.Ensure(path);
        var first = File.ReadAllText(path);

        var created = DevelopmentIssuerKey.Ensure(path);

        Assert.False(created);
        Assert.Equal(first, File.ReadAllText(path));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.OtherRead, "0604")]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    public void Ensure_ExistingKeyReadableByOthers_IsRefusedWithOneLine(UnixFileMode extra, string mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no mode bits; the file inherits its directory's ACL (documented in local-development.md)
        }

        var path = Path.Combine(_directory, DevelopmentIssuerKey.FileName);
        DevelopmentIssuerKey.Ensure(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var error = Assert.Throws<RunnerException>(() => DevelopmentIssuerKey.Ensure(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(mode, error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
