// Front Door routes in front of the app (docs/runbooks/deploy.md#edge). Caching follows the app's Cache-Control
// (functions/Rtgf.Functions/Http/HttpCaching.cs): log tiles and checkpointed tokens are immutable, the checkpoint, JWKS,
// discovery and status lists live 60 s. Only the registry paths have a cache at all; /ops, /v1 (API keys, billing,
// plans, rate limits), /verify, /hooks and /mcp are never cached (and Front Door never caches a POST).
param profileName string
param endpointName string
param wafPolicyId string
param tags object

@description('Host name of the primary function app.')
param primaryHostName string

@description('Whether a second-region app serves the registry and verifier, and its host name.')
param secondaryEnabled bool
param secondaryHostName string

@description('The health probe: a cheap, anonymous, cacheable GET the registry answers.')
param healthProbePath string = '/.well-known/rtgf'

// Paths whose answers the edge may cache (honouring the origin's Cache-Control).
var cachedPatterns = ['/.well-known/*', '/log/*', '/tokens', '/tokens/*', '/revocations', '/revocations/*', '/catalog', '/catalog/*']
var verifierPatterns = ['/verify', '/verify/*']

resource profile 'Microsoft.Cdn/profiles@2025-06-01' existing = {
  name: profileName
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-06-01' = {
  parent: profile
  name: endpointName
  location: 'global'
  tags: tags
  properties: { enabledState: 'Enabled' }
}

var probe = {
  probePath: healthProbePath
  probeRequestType: 'GET'
  probeProtocol: 'Https'
  probeIntervalInSeconds: 30
}

var loadBalancing = {
  sampleSize: 4
  successfulSamplesRequired: 3
  additionalLatencyInMilliseconds: 50
}

// The registry and verifier: the primary app first, the second region when the primary's probes fail.
resource registryOrigins 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = {
  parent: profile
  name: 'registry'
  properties: {
    healthProbeSettings: probe
    loadBalancingSettings: loadBalancing
    sessionAffinityState: 'Disabled'
  }
}

resource registryPrimary 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = {
  parent: registryOrigins
  name: 'primary'
  properties: {
    hostName: primaryHostName
    originHostHeader: primaryHostName
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

resource registrySecondary 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = if (secondaryEnabled) {
  parent: registryOrigins
  name: 'secondary'
  properties: {
    hostName: secondaryHostName
    originHostHeader: secondaryHostName
    httpsPort: 443
    priority: 2
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

// Everything else (operator routes, public API, billing, webhooks, MCP): the primary app only.
resource appOrigins 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = {
  parent: profile
  name: 'app'
  properties: {
    healthProbeSettings: probe
    loadBalancingSettings: loadBalancing
    sessionAffinityState: 'Disabled'
  }
}

resource appPrimary 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = {
  parent: appOrigins
  name: 'primary'
  properties: {
    hostName: primaryHostName
    originHostHeader: primaryHostName
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

resource cacheRules 'Microsoft.Cdn/profiles/ruleSets@2025-06-01' = {
  parent: profile
  name: 'registrycache'
}

// The checkpoint moves with every publication: 60 s at most, as the app says (HttpCaching.ShortMaxAge).
resource checkpointRule 'Microsoft.Cdn/profiles/ruleSets/rules@2025-06-01' = {
  parent: cacheRules
  name: 'checkpoint'
  properties: {
    order: 1
    matchProcessingBehavior: 'Stop'
    conditions: [
      {
        name: 'UrlPath'
        parameters: {
          typeName: 'DeliveryRuleUrlPathMatchConditionParameters'
          operator: 'Equal'
          matchValues: ['/log/checkpoint']
          negateCondition: false
          transforms: []
        }
      }
    ]
    actions: [
      {
        name: 'RouteConfigurationOverride'
        parameters: {
          typeName: 'DeliveryRuleRouteConfigurationOverrideActionParameters'
          cacheConfiguration: {
            cacheBehavior: 'OverrideAlways'
            cacheDuration: '00:01:00'
            queryStringCachingBehavior: 'UseQueryString'
            isCompressionEnabled: 'Enabled'
          }
        }
      }
    ]
  }
}

// Tiles, entry bundles and checkpointed tokens say "immutable, max-age=31536000"; tokens not yet checkpointed say
// no-cache. Honouring the origin keeps both right.
resource immutableRule 'Microsoft.Cdn/profiles/ruleSets/rules@2025-06-01' = {
  parent: cacheRules
  name: 'immutable'
  properties: {
    order: 2
    matchProcessingBehavior: 'Stop'
    conditions: [
      {
        name: 'UrlPath'
        parameters: {
          typeName: 'DeliveryRuleUrlPathMatchConditionParameters'
          operator: 'BeginsWith'
          matchValues: ['/log/tile/', '/tokens/']
          negateCondition: false
          transforms: []
        }
      }
    ]
    actions: [
      {
        name: 'RouteConfigurationOverride'
        parameters: {
          typeName: 'DeliveryRuleRouteConfigurationOverrideActionParameters'
          cacheConfiguration: {
            cacheBehavior: 'HonorOrigin'
            queryStringCachingBehavior: 'UseQueryString'
            isCompressionEnabled: 'Enabled'
          }
        }
      }
    ]
  }
}

resource registryRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = {
  parent: endpoint
  name: 'registry'
  properties: {
    originGroup: { id: registryOrigins.id }
    patternsToMatch: cachedPatterns
    supportedProtocols: ['Https']
    httpsRedirect: 'Enabled'
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Enabled'
    ruleSets: [{ id: cacheRules.id }]
    cacheConfiguration: {
      queryStringCachingBehavior: 'UseQueryString'
      compressionSettings: {
        isCompressionEnabled: true
        contentTypesToCompress: ['application/json', 'text/plain', 'application/jwk-set+json', 'application/statuslist+jwt']
      }
    }
  }
  dependsOn: [registryPrimary, checkpointRule, immutableRule]
}

resource verifierRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = {
  parent: endpoint
  name: 'verifier'
  properties: {
    originGroup: { id: registryOrigins.id }
    patternsToMatch: verifierPatterns
    supportedProtocols: ['Https']
    httpsRedirect: 'Enabled'
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Enabled'
  }
  dependsOn: [registryPrimary]
}

resource appRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = {
  parent: endpoint
  name: 'app'
  properties: {
    originGroup: { id: appOrigins.id }
    patternsToMatch: ['/*']
    supportedProtocols: ['Https']
    httpsRedirect: 'Enabled'
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Enabled'
  }
  dependsOn: [appPrimary]
}

resource security 'Microsoft.Cdn/profiles/securityPolicies@2025-06-01' = {
  parent: profile
  name: 'waf'
  properties: {
    parameters: {
      type: 'WebApplicationFirewall'
      wafPolicy: { id: wafPolicyId }
      associations: [{ domains: [{ id: endpoint.id }], patternsToMatch: ['/*'] }]
    }
  }
}

output hostName string = endpoint.properties.hostName
