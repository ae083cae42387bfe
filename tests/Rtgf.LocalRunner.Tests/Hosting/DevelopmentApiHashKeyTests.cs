using Rtgf.LocalRunner.Hosting;

namespace Rtgf.LocalRunner.Tests.Hosting;

public sealed class DevelopmentApiHashKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-hash-key-").FullName;

    [Fact]
    public void Ensure_NoFile_Creates32RandomBytesOwnerOnly_AndKeepsThemAcrossRuns()
    {
        var path = Path.Combine(_directory, "nested", DevelopmentApiHashKey.FileName);

        var first = DevelopmentApiHashKey.Ensure(path);
        var again = DevelopmentApiHashKey.Ensure(path);

        Assert.Equal(32, Convert.FromBase64String(first).Length);
        Assert.Equal(first, again);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var other = DevelopmentApiHashKey.Ensure(Path.Combine(_directory, "other", DevelopmentApiHashKey.FileName));
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Ensure_ExistingKeyReadableByOthers_IsRefusedWithOneLine()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no mode bits (local-development.md)
        }

        var path = Path.Combine(_directory, DevelopmentApiHashKey.FileName);
        DevelopmentApiHashKey.Ensure(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<RunnerException>(() => DevelopmentApiHashKey.Ensure(path));

        Assert.Contains("development API hash key", error.Message, StringComparison.Ordinal);
        Assert.Contains("0604", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
