// The app identity's roles, each at the narrowest scope that works (docs/adr/0028-bicep-without-avm.md#identity).
// tests/Rtgf.Infra.Tests pins this list exactly: adding, widening or dropping a role fails a test.
@description('Principal id of the identity (runtime value: only in properties). Assignment names derive from identityId.')
param principalId string
param identityId string
param storageAccountName string
param vaultName string
param issuerKeyName string
param archiveKeyName string
param stateVaultName string
param appInsightsName string

// Built-in role definition ids.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: vaultName
}

resource issuerKey 'Microsoft.KeyVault/vaults/keys@2026-02-01' existing = {
  parent: vault
  name: issuerKeyName
}

resource archiveKey 'Microsoft.KeyVault/vaults/keys@2026-02-01' existing = {
  parent: vault
  name: archiveKeyName
}

resource stateVault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: stateVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Host storage (timers, leases, the deployment package) and the app's blobs: Blob Data Owner, as the host requires.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityId, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityId, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Signing only: get + sign + verify on the issuer key, not the vault.
resource issuerCryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(issuerKey.id, identityId, roles.keyVaultCryptoUser)
  scope: issuerKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// wrapKey/unwrapKey of session-archive data keys on the archive key only.
resource archiveCryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(archiveKey.id, identityId, roles.keyVaultCryptoUser)
  scope: archiveKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault references (@Microsoft.KeyVault(SecretUri=…)) in app settings: read secrets.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The QuickBooks refresh token rotates on every use, so the app writes it: only in the state vault.
resource stateSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(stateVault.id, identityId, roles.keyVaultSecretsOfficer)
  scope: stateVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Entra-authenticated telemetry ingestion (Application Insights has local auth off).
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
