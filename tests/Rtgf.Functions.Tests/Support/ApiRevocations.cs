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
}
