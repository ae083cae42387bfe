using System.Text.Json;

namespace Rtgf.Compiler.Tests.Families;

/// <summary>The golden build's facts, by family and subject, for the per-family tests.</summary>
internal static class CompiledFacts
{
    private static readonly Lazy<CompileResult> Golden = new(() => new TokenCompiler(GoldenCorpus.Matrix).Compile(GoldenCorpus.Snapshots(), GoldenCorpus.Issuer));

    public static CompileResult Result => Golden.Value;

    public static JsonElement Of(string family, string subject)
    {
        var token = Result.Tokens.SingleOrDefault(t => t.Family == family && t.Subject == subject)
            ?? throw new InvalidOperationException($"No {family} token for {subject}; subjects: {string.Join(", ", Result.Tokens.Where(t => t.Family == family).Select(t => t.Subject))}");
        return JsonDocument.Parse(token.FactsJson).RootElement.Clone();
    }

    public static string[] Subjects(string family) => [.. Result.Tokens.Where(t => t.Family == family).Select(t => t.Subject)];
}
