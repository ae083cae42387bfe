using System.Security.Cryptography;

namespace Rtgf.Functions.Traffic;

/// <summary>
/// This process's traffic writer id: 8 random hex characters, part of every log RowKey it writes, so two instances (or two
/// apps in one test process) never write the same row. Allow-listed for RandomNumberGenerator in .editorconfig.
/// </summary>
internal static class TrafficWriterId
{
    public static string New() => RandomNumberGenerator.GetHexString(8, lowercase: true);
}
