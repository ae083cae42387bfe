using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Tests.Support;

/// <summary>The app's revocation reader, and revocations through the app's publisher (the path <c>/ops/revocations</c> takes).</summary>
public sealed class ApiRevocations(StoredAppFixture app)
{
    public Task<long> GetEpochAsync() => app.RevocationReader.GetEpochAsync();

    public Task<StatusListDocument?> GetStatusListAsync(string listId) => app.RevocationReader.GetStatusListAsync(listId);

    public Task<RevocationRecord?> GetRevocationAsync(string tokenId) => app.RevocationReader.GetRevocationAsync(tokenId);

    /// <summary>Revokes through <c>Publisher.RevokeAsync</c>, recording <paramref name="reason"/>.</summary>
    public Task<RevocationRecord> RevokeAsync(string tokenId, string reason) => app.Publisher.RevokeAsync(tokenId, reason, "test@example.gov.au");

    /// <summary>
    /// Kept for existing tests: revokes through <c>Publisher.RevokeAsync</c> with <paramref name="reason"/>, so the record's kind
    /// is <c>manual</c> whatever <paramref name="kind"/> says (an automatic revocation is a build that drops the subject:
    /// publish one with <see cref="StoredAppFixture.PublishAsync"/>).
    /// </summary>
    public Task<RevocationRecord> RevokeWithKindAsync(string tokenId, string kind, string reason) => RevokeAsync(tokenId, reason);
}
