using System.Text;
using Rtgf.Compiler;
using Rtgf.Compiler.Tests;

// The test assembly doubles as a console for the separate-process tests: `compile-golden` compiles the golden corpus
// (shuffled by the given seed) and prints the manifest and the digest of the whole output.
if (args is ["compile-golden", var seedText])
{
    var seed = ulong.Parse(seedText, System.Globalization.CultureInfo.InvariantCulture);
    var result = new TokenCompiler(GoldenCorpus.Matrix).Compile(GoldenCorpus.Snapshots(seed == 0 ? null : seed), GoldenCorpus.Issuer);
    using var stdout = Console.OpenStandardOutput();
    stdout.Write(result.ManifestJson.Span);
    stdout.Write(Encoding.ASCII.GetBytes("\n" + GoldenCorpus.OutputDigest(result) + "\n" + TimeZoneInfo.Local.Id + "\n" + Thread.CurrentThread.CurrentCulture.Name + "\n"));
    return 0;
}

Console.Error.WriteLine("usage: Rtgf.Compiler.Tests compile-golden <seed>");
return 2;
