namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// A secret file of local runs: created once with its owner's read/write only, kept outside the repository's tracked
/// files (artifacts/ is git-ignored), its contents never printed. An existing file that group or others may access is
/// refused, as ssh does (on Unix; Windows has no mode bits, and the file keeps the ACL of its directory in the checkout).
/// </summary>
internal static class OwnerOnlyFile
{
    private const UnixFileMode OthersMask = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> unless a file is there; true when it was created.</summary>
    public static bool Ensure(string path, string what, Func<string> contents)
    {
        if (File.Exists(path))
        {
            RefuseIfShared(path, what);
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
            writer.Write(contents());
        }
        catch (IOException) when (File.Exists(path))
        {
            return false; // another runner created it first; use that one
        }

        return true;
    }

    private static void RefuseIfShared(string path, string what)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & OthersMask) != 0)
        {
            var octal = "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
            throw new RunnerException($"The {what} {path} has mode {octal}, so group or others can read it: run chmod 600 on it, or delete it to have a new one created.");
        }
    }
}
