// Key Vault (Premium: HSM-backed keys), RBAC only, purge protection. Two keys created here, never exported:
// the issuer key (EC-HSM P-256, ES256) with a 90-day rotation policy, and the archive key (RSA-HSM 3072, wrapKey/unwrapKey).
// A second small vault holds the one secret the app writes (the QuickBooks refresh token), so the app's write role
// never reaches the operator-managed secrets.
param name string
param stateVaultName string
param issuerKeyName string
param archiveKeyName string
param location string
param tags object

@description('Days a deleted vault, key or secret can be recovered (purge protection keeps them until then).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

// Rotation: a new issuer version every 90 days, a notice 30 days before a version expires, versions valid two years.
// The app signs with one pinned version (Signing:KeyVaultKeyId); a rotated version is published in the JWKS and only then
// switched to, with the JWKS overlap of docs/runbooks/key-rotation.md.
var issuerRotation = {
  attributes: { expiryTime: 'P2Y' }
  lifetimeActions: [
    { trigger: { timeAfterCreate: 'P90D' }, action: { type: 'rotate' } }
    { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'notify' } }
  ]
}

// The archive key wraps data keys; old versions stay enabled to unwrap older archives (12 months), so it rotates yearly.
var archiveRotation = {
  attributes: { expiryTime: 'P2Y' }
  lifetimeActions: [
    { trigger: { timeAfterCreate: 'P365D' }, action: { type: 'rotate' } }
    { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'notify' } }
  ]
}

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'premium' }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource issuerKey 'Microsoft.KeyVault/vaults/keys@2026-02-01' = {
  parent: vault
  name: issuerKeyName
  tags: tags
  properties: {
    kty: 'EC-HSM'
    curveName: 'P-256'
    keyOps: ['sign', 'verify']
    attributes: { enabled: true, exportable: false }
    rotationPolicy: issuerRotation
  }
}

resource archiveKey 'Microsoft.KeyVault/vaults/keys@2026-02-01' = {
  parent: vault
  name: archiveKeyName
  tags: tags
  properties: {
    kty: 'RSA-HSM'
    keySize: 3072
    keyOps: ['wrapKey', 'unwrapKey']
    attributes: { enabled: true, exportable: false }
    rotationPolicy: archiveRotation
  }
}

resource stateVault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: stateVaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
output issuerKeyName string = issuerKey.name
output issuerKeyUri string = issuerKey.properties.keyUri
output archiveKeyName string = archiveKey.name
output archiveKeyUri string = archiveKey.properties.keyUri
output stateVaultId string = stateVault.id
output stateVaultName string = stateVault.name
output stateVaultUri string = stateVault.properties.vaultUri
