// RTGF on Azure: one Flex Consumption function app (dotnet-isolated, .NET 10) with a user-assigned identity and no
// shared keys, its storage, Key Vault (HSM issuer and archive keys), Application Insights with alerts and a workbook,
// Front Door with a WAF, and optionally a second region serving the registry and verifier.
// Plain resources, no Azure Verified Modules (docs/adr/0028-bicep-without-avm.md). Deploy: docs/runbooks/deploy.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags derive from it.')
param environmentName string

@minLength(1)
@description('Primary region (one that offers Flex Consumption).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Second region for the registry and verifier (Front Door fails over to it), or empty for one region.')
param secondaryLocation string = ''

@description('Flex runtime version of dotnet-isolated: the worker targets net10.0.')
param runtimeVersion string = '10.0'

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@minValue(0)
@description('Always-ready instances for the HTTP functions (they replace the seed\'s keep-warm worker).')
param alwaysReadyHttpInstances int = 1

@allowed(['Standard_LRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS'])
param storageSku string = 'Standard_RAGRS'

@minValue(0)
@description('Days each version of a transparency-log object stays immutable (version-level WORM); 0 turns it off.')
param logImmutabilityDays int = 3650

@minValue(12)
@maxValue(1200)
@description('Months session archives are kept: the app\'s Archive__RetentionMonths and the storage lifecycle rule, from this one value.')
param archiveRetentionMonths int = 12

@description('The pinned issuer key version (https://<vault>.vault.azure.net/keys/rtgf-issuer/<version>), set after it is published in the JWKS; empty until then (the app then refuses to sign).')
param signingKeyId string = ''

@description('Operator-created Key Vault secrets to wire as app settings (names from the secretSettings map below).')
param secretNames array = []

@description('Non-secret app settings the operator adds (upstream base URLs, billing prices, …). Never a key.')
param extraAppSettings object = {}

@description('Alert e-mail, or empty.')
param alertEmail string = ''

@allowed(['Standard_AzureFrontDoor', 'Premium_AzureFrontDoor'])
param frontDoorSku string = 'Premium_AzureFrontDoor'

@minValue(100)
param wafRateLimitPerMinute int = 2000

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
var secondaryEnabled = !empty(secondaryLocation)
var secondaryToken = toLower(uniqueString(subscription().id, environmentName, secondaryLocation))
var names = {
  identity: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
  storage: '${abbrs.storageStorageAccounts}${resourceToken}'
  secondaryStorage: '${abbrs.storageStorageAccounts}${secondaryToken}'
  vault: '${abbrs.keyVaultVaults}${resourceToken}'
  stateVault: '${abbrs.keyVaultVaults}st-${resourceToken}'
  appInsights: '${abbrs.insightsComponents}${resourceToken}'
  frontDoor: '${abbrs.cdnProfiles}${resourceToken}'
}
// Fixed key names (modules/keyvault.bicep creates them).
var issuerKeyName = 'rtgf-issuer'
var archiveKeyName = 'rtgf-archive'

// Every container, queue and table the code names (tests/Rtgf.Infra.Tests derives the code's names and fails on a gap).
var containers = [
  'rtgf-raw'
  'rtgf-snapshots'
  'rtgf-builds'
  'rtgf-log'
  'rtgf-stats'
  'rtgf-webhooks'
  'rtgf-reconcile'
  'rtgf-archives'
  'rtgf-backups'
]
var workQueues = [
  'rtgf-tga-ingest'
  'rtgf-compile'
  'rtgf-qa'
  'rtgf-publish'
  'rtgf-stats-cache'
  'rtgf-enrich-sync'
  'rtgf-comms'
  'rtgf-webhooks'
  'rtgf-waitlist-signups'
]
var queues = concat(workQueues, map(workQueues, q => '${q}-poison'))
var tables = [
  'ingestruns'
  'watermarks'
  'ingestbatches'
  'deadletters'
  'tgacomponents'
  'tgareleases'
  'tgaorganisations'
  'tgascope'
  'cricosproviders'
  'cricoscourses'
  'cricoslocations'
  'teqsaproviders'
  'sanctionslistings'
  'occupationshortages'
  'vacancyseries'
  'labourseries'
  'tendercontracts'
  'tenders'
  'datasets'
  'calendardates'
  'radaritems'
  'rtoenrichment'
  'enrichruns'
  'statshistory'
  'tokens'
  'tokenlatest'
  'tokencatalog'
  'tokenfamilies'
  'registryhead'
  'publications'
  'publicationprogress'
  'logjournal'
  'revocations'
  'statuslists'
  'jwks'
  'publicationfreeze'
  'pipelinehandoffs'
  'apikeys'
  'apiusage'
  'abuseblocks'
  'leads'
  'comms'
  'webhooks'
  'webhookstates'
  'billingaccounts'
  'qbreceipts'
  'traffic'
  'trafficdaily'
  'sessions'
  'audit'
]

// Timer schedules (NCRONTAB, UTC): every %…_SCHEDULE% a trigger names, at the code's defaults.
var schedules = {
  TGA_SYNC_SCHEDULE: '0 */30 * * * *'
  CRICOS_SYNC_SCHEDULE: '0 0 2 * * *'
  TEQSA_SYNC_SCHEDULE: '0 30 2 * * *'
  SANCTIONS_SYNC_SCHEDULE: '0 0 */6 * * *'
  OSL_SYNC_SCHEDULE: '0 0 3 * * *'
  IVI_SYNC_SCHEDULE: '0 15 3 * * *'
  ABS_SYNC_SCHEDULE: '0 30 3 * * *'
  TENDER_SYNC_SCHEDULE: '0 5 * * * *'
  MAGDA_MONITOR_SCHEDULE: '0 45 3 * * *'
  CALENDAR_SYNC_SCHEDULE: '0 0 4 * * *'
  RADAR_CRAWL_SCHEDULE: '0 20,50 * * * *'
  ENRICH_SYNC_SCHEDULE: '0 */10 * * * *'
  ACCESS_CLEANUP_SCHEDULE: '0 */15 * * * *'
  WEBHOOKS_SWEEP_SCHEDULE: '30 */2 * * * *'
  BILLING_GRACE_SCHEDULE: '0 15 * * * *'
  QB_RECONCILE_SCHEDULE: '0 20 * * * *'
  TRAFFIC_SNAPSHOT_SCHEDULE: '0 10 0 * * *'
  TRAFFIC_PRUNE_SCHEDULE: '0 40 0 * * *'
  SESSION_ARCHIVE_SCHEDULE: '0 */15 * * * *'
  ARCHIVE_PURGE_SCHEDULE: '0 20 1 * * *'
  BACKUP_SCHEDULE: '0 0 * * * *'
}

// Timer and queue functions: the second region serves HTTP only, so they are disabled there.
var backgroundFunctions = [
  'abs-sync'
  'access-cleanup'
  'archive-purge'
  'backup'
  'billing-grace'
  'calendar-sync'
  'comms'
  'comms-poison'
  'compile'
  'cricos-sync'
  'enrich-sync'
  'enrich-sync-page'
  'ivi-sync'
  'magda-monitor'
  'osl-sync'
  'publish'
  'qa'
  'qb-reconcile'
  'radar-crawl'
  'sanctions-sync'
  'session-archiver'
  'stats-cache'
  'tender-sync'
  'teqsa-sync'
  'tga-ingest'
  'tga-sync'
  'traffic-prune'
  'traffic-snapshot'
  'waitlist-signups'
  'waitlist-signups-poison'
  'webhooks'
  'webhooks-poison'
  'webhooks-sweep'
]

// Secret settings: Key Vault references resolved with the user-assigned identity (keyVaultReferenceIdentity).
var secretSettings = {
  'Stripe--SecretKey': 'Stripe__SecretKey'
  'Stripe--WebhookSecret': 'Stripe__WebhookSecret'
  'Resend--ApiKey': 'Resend__ApiKey'
  'Resend--WebhookSecret': 'Resend__WebhookSecret'
  'Cellcast--ApiKey': 'Cellcast__ApiKey'
  'QuickBooks--ClientId': 'QuickBooks__ClientId'
  'QuickBooks--ClientSecret': 'QuickBooks__ClientSecret'
  'Upstream--Tga--UserName': 'Upstream__Tga__UserName'
  'Upstream--Tga--Password': 'Upstream__Tga__Password'
  'Upstream--Geocoder--ApiKey': 'Upstream__Geocoder__ApiKey'
  'Waitlist--LinkKey': 'Waitlist__LinkKey'
  'Waitlist--IdKey': 'Waitlist__IdKey'
  'Waitlist--PreviousLinkKeys': 'Waitlist__PreviousLinkKeys'
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSku
    logImmutabilityDays: logImmutabilityDays
    archiveRetentionMonths: archiveRetentionMonths
    deploymentContainerName: deploymentContainerName
    containers: containers
    queues: queues
    tables: tables
  }
}

module vault 'modules/keyvault.bicep' = {
  scope: rg
  params: {
    name: names.vault
    stateVaultName: names.stateVault
    issuerKeyName: issuerKeyName
    archiveKeyName: archiveKeyName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    appInsightsName: names.appInsights
    actionGroupName: '${abbrs.insightsActionGroups}${resourceToken}'
    alertRulePrefix: '${abbrs.insightsScheduledQueryRules}${resourceToken}-'
    workbookDisplayName: 'RTGF golden signals (${environmentName})'
    location: location
    tags: tags
    alertEmail: alertEmail
  }
}

module rbac 'modules/rbac.bicep' = {
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    identityId: resourceId(subscription().subscriptionId, rg.name, 'Microsoft.ManagedIdentity/userAssignedIdentities', names.identity)
    storageAccountName: names.storage
    vaultName: names.vault
    issuerKeyName: issuerKeyName
    archiveKeyName: archiveKeyName
    stateVaultName: names.stateVault
    appInsightsName: names.appInsights
  }
  dependsOn: [storage, vault, monitoring]
}

module edgeProfile 'modules/edge-profile.bicep' = {
  scope: rg
  params: {
    profileName: names.frontDoor
    wafPolicyName: '${abbrs.networkFrontDoorWebApplicationFirewallPolicies}${resourceToken}'
    tags: tags
    sku: frontDoorSku
    rateLimitPerMinute: wafRateLimitPerMinute
  }
}

// Settings both regions share: identity, telemetry, keys, schedules, secrets.
var commonSettings = union(
  {
    AZURE_CLIENT_ID: identity.outputs.clientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identity.outputs.clientId}'
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.outputs.clientId
    RtgfStorage__credential: 'managedidentity'
    RtgfStorage__clientId: identity.outputs.clientId
    Archive__KeyVaultKeyId: vault.outputs.archiveKeyUri
    Archive__RetentionMonths: string(archiveRetentionMonths)
    QuickBooks__KeyVaultUri: vault.outputs.stateVaultUri
  },
  empty(signingKeyId) ? {} : { Signing__KeyVaultKeyId: signingKeyId },
  schedules,
  toObject(
    filter(items(secretSettings), s => contains(secretNames, s.key)),
    s => s.value,
    s => '@Microsoft.KeyVault(SecretUri=${vault.outputs.uri}secrets/${s.key}/)'
  ),
  extraAppSettings
)

module app 'modules/functionapp.bicep' = {
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    azdServiceName: 'api'
    location: location
    tags: tags
    identityId: identity.outputs.id
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainerName}'
    runtimeVersion: runtimeVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    frontDoorId: edgeProfile.outputs.frontDoorId
    appSettings: union(commonSettings, {
      AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
      AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
      AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
      RtgfStorage__blobServiceUri: storage.outputs.blobEndpoint
      RtgfStorage__queueServiceUri: storage.outputs.queueEndpoint
      RtgfStorage__tableServiceUri: storage.outputs.tableEndpoint
    })
  }
  dependsOn: [rbac]
}

// The second region: its own host storage and plan; the app's data read from the account's geo-secondary endpoints.
module secondaryStorage 'modules/storage.bicep' = if (secondaryEnabled) {
  scope: rg
  params: {
    name: names.secondaryStorage
    location: secondaryLocation
    tags: tags
    skuName: 'Standard_ZRS'
    logImmutabilityDays: 0
    deploymentContainerName: deploymentContainerName
    containers: []
    queues: []
    tables: []
  }
}

module secondaryRoles 'modules/storage-roles.bicep' = if (secondaryEnabled) {
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    identityId: resourceId(subscription().subscriptionId, rg.name, 'Microsoft.ManagedIdentity/userAssignedIdentities', names.identity)
    storageAccountName: names.secondaryStorage
  }
  dependsOn: [secondaryStorage]
}

module secondaryApp 'modules/functionapp.bicep' = if (secondaryEnabled) {
  scope: rg
  params: {
    name: '${abbrs.webSitesFunctions}api-${secondaryToken}'
    planName: '${abbrs.webServerFarms}${secondaryToken}'
    location: secondaryLocation
    tags: tags
    identityId: identity.outputs.id
    deploymentContainerUrl: '${secondaryStorage!.outputs.blobEndpoint}${deploymentContainerName}'
    runtimeVersion: runtimeVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    frontDoorId: edgeProfile.outputs.frontDoorId
    appSettings: union(
      commonSettings,
      {
        AzureWebJobsStorage__blobServiceUri: secondaryStorage!.outputs.blobEndpoint
        AzureWebJobsStorage__queueServiceUri: secondaryStorage!.outputs.queueEndpoint
        AzureWebJobsStorage__tableServiceUri: secondaryStorage!.outputs.tableEndpoint
        RtgfStorage__blobServiceUri: storage.outputs.readBlobEndpoint
        RtgfStorage__queueServiceUri: storage.outputs.readQueueEndpoint
        RtgfStorage__tableServiceUri: storage.outputs.readTableEndpoint
      },
      toObject(backgroundFunctions, f => 'AzureWebJobs.${f}.Disabled', f => 'true')
    )
  }
  dependsOn: [rbac, secondaryRoles]
}

module edge 'modules/edge.bicep' = {
  scope: rg
  params: {
    profileName: names.frontDoor
    endpointName: '${abbrs.cdnProfilesEndpoints}${resourceToken}'
    wafPolicyId: edgeProfile.outputs.wafPolicyId
    tags: tags
    primaryHostName: app.outputs.hostName
    secondaryEnabled: secondaryEnabled
    secondaryHostName: secondaryEnabled ? secondaryApp!.outputs.hostName : ''
  }
}

// A full outage produces no worker metrics: the P0 availability test probes the edge from outside (after the edge exists).
module availability 'modules/availability.bicep' = {
  scope: rg
  params: {
    webTestName: 'webtest-${resourceToken}-edge'
    alertName: 'ma-${resourceToken}-p0-edge-availability'
    location: location
    tags: tags
    appInsightsId: monitoring.outputs.appInsightsId
    actionGroupId: monitoring.outputs.actionGroupId
    edgeHostName: edge.outputs.hostName
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = app.outputs.name
output AZURE_FUNCTION_NAME string = app.outputs.name
output AZURE_FUNCTION_SECONDARY_NAME string = secondaryEnabled ? secondaryApp!.outputs.name : ''
output AZURE_FUNCTION_URL string = 'https://${app.outputs.hostName}'
output RTGF_EDGE_URL string = 'https://${edge.outputs.hostName}'
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_KEY_VAULT_URI string = vault.outputs.uri
output RTGF_ISSUER_KEY_URI string = vault.outputs.issuerKeyUri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
