// The app's storage account: identity-only access (no shared keys), every container, queue and table the code names,
// versioning, soft delete, point-in-time restore, lifecycle rules, and version-level WORM on the transparency log.
param name string
param location string
param tags object

@description('Replication (the long-term rules use the cold tier, which every kind has).')
@allowed(['Standard_LRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS'])
param skuName string

@description('Days each version of a log object (tile, entry bundle, checkpoint) stays immutable. 0 turns the WORM policy off.')
@minValue(0)
param logImmutabilityDays int

@description('The Flex Consumption deployment container (package blobs).')
param deploymentContainerName string

@description('Blob containers the app uses (ContainerName constants in the code).')
param containers array

@description('Storage queues the app uses, poison queues included.')
param queues array

@description('Tables the app uses.')
param tables array

@description('Months session archives are kept (the app\'s Archive__RetentionMonths, same value; 12 to 1200).')
@minValue(12)
@maxValue(1200)
param archiveRetentionMonths int = 12

// Days of the lifecycle rules. Session archives: never before archive-purge would delete them (docs/spec/archives.md):
// the longest months (31 days each) plus a day for the purge's clock-skew margin and a day for the rule's own daily run.
var sessionArchiveDays = 31 * archiveRetentionMonths + 2
var coolAfterDays = 30
var longTermAfterDays = 180

// Never the Archive tier: a backup copies snapshots and builds and a restore reads packs of the first backup day, and an
// archived blob answers 409 BlobArchived until hours of rehydration (docs/spec/backups.md#storage-tiers).
var longTermAction = { tierToCold: { daysAfterModificationGreaterThan: longTermAfterDays } }

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: { enabled: true, keyType: 'Account' }
        file: { enabled: true, keyType: 'Account' }
        queue: { enabled: true, keyType: 'Account' }
        table: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    changeFeed: { enabled: true, retentionInDays: 35 }
    deleteRetentionPolicy: { enabled: true, days: 35 }
    containerDeleteRetentionPolicy: { enabled: true, days: 35 }
    // Point-in-time restore must be shorter than soft delete; it covers the mutable containers (the WORM log needs none).
    restorePolicy: { enabled: true, days: 30 }
  }
}

resource deployment 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobs
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource appContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for container in containers: {
    parent: blobs
    name: container
    properties: {
      publicAccess: 'None'
      // The log's objects are written once (If-None-Match: *) and the checkpoint is swapped by If-Match: version-level
      // WORM keeps every version of both without refusing the swap (docs/adr/0028-bicep-without-avm.md).
      immutableStorageWithVersioning: container == 'rtgf-log' && logImmutabilityDays > 0 ? { enabled: true } : null
    }
  }
]

resource logContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: blobs
  name: 'rtgf-log'
}

resource logImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2025-01-01' = if (logImmutabilityDays > 0) {
  parent: logContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: logImmutabilityDays
    allowProtectedAppendWrites: false
  }
  dependsOn: [appContainers]
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource appQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for queue in queues: {
    parent: queueService
    name: queue
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource appTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'session-archives-retention'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['rtgf-archives/sessions/'] }
            actions: {
              baseBlob: { delete: { daysAfterCreationGreaterThan: sessionArchiveDays } }
              version: { delete: { daysAfterCreationGreaterThan: sessionArchiveDays } }
            }
          }
        }
        {
          // Snapshots and builds are kept for good (at least 10 years): cooler tiers, never a delete action.
          name: 'snapshots-and-builds-long-term'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['rtgf-snapshots/', 'rtgf-builds/'] }
            actions: {
              baseBlob: union({ tierToCool: { daysAfterModificationGreaterThan: coolAfterDays } }, longTermAction)
            }
          }
        }
        {
          name: 'backups-long-term'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['rtgf-backups/'] }
            actions: {
              baseBlob: union({ tierToCool: { daysAfterModificationGreaterThan: coolAfterDays } }, longTermAction)
            }
          }
        }
        {
          // Overwritten documents (stats, reconcile reports, raw payload pointers) keep old versions a month, for restores.
          name: 'mutable-previous-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['rtgf-stats/', 'rtgf-reconcile/', 'rtgf-webhooks/', 'rtgf-raw/'] }
            actions: {
              version: { delete: { daysAfterCreationGreaterThan: coolAfterDays } }
            }
          }
        }
      ]
    }
  }
  dependsOn: [appContainers]
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table

// Read-access geo-redundant accounts also answer reads in the paired region: the second region's registry reads there.
var readSecondary = startsWith(skuName, 'Standard_RA')
output readBlobEndpoint string = readSecondary ? account.properties.secondaryEndpoints.blob : account.properties.primaryEndpoints.blob
output readQueueEndpoint string = readSecondary ? account.properties.secondaryEndpoints.queue : account.properties.primaryEndpoints.queue
output readTableEndpoint string = readSecondary ? account.properties.secondaryEndpoints.table : account.properties.primaryEndpoints.table
