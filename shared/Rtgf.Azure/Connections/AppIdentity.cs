using Azure.Core;
using Azure.Identity;

namespace Rtgf.Azure.Connections;

/// <summary>
/// The app's managed identity for the calls it makes itself (Key Vault keys and secrets): the user-assigned identity whose
/// client id <c>AZURE_CLIENT_ID</c> names (infra/ sets it), else the system-assigned one. Storage connections name their
/// identity in their own settings (<see cref="StorageConnection"/>).
/// </summary>
public sealed record AppIdentity(string? ClientId)
{
    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    public bool IsUserAssigned => ClientId is not null;

    public static AppIdentity FromSettings(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return new AppIdentity(setting(ClientIdSetting) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null);
    }

    public ManagedIdentityId Id => ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(ClientId);

    public TokenCredential Credential() => new ManagedIdentityCredential(Id);
}
