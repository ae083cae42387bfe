// The outside view of availability (docs/spec/telemetry.md#alerts): a Standard availability test that fetches
// /.well-known/rtgf through Front Door from several locations, and a P0 metric alert on it. The worker-side P0 alert
// (p0-availability, alerts.json) sees only invocations that reached the worker; a full outage produces none, this does.
// Separate from monitoring.bicep because it needs the edge host name, and the edge needs the app, which needs monitoring.
param webTestName string
param alertName string
param location string
param tags object
param appInsightsId string
param actionGroupId string

@description('Front Door endpoint host name (no scheme).')
param edgeHostName string

@description('Availability test locations (Application Insights location ids).')
param testLocations array = ['emea-au-syd-edge', 'apac-sg-sin-azr', 'apac-hk-hkn-azr', 'us-va-ash-azr']

@description('Locations that must fail at once before the alert fires (one failing location is noise).')
param failedLocationCount int = 2

resource webTest 'Microsoft.Insights/webtests@2022-06-15' = {
  name: webTestName
  location: location
  // The hidden-link tag ties the test to its Application Insights resource (the portal and the alert need it).
  tags: union(tags, { 'hidden-link:${appInsightsId}': 'Resource' })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: webTestName
    Name: 'rtgf edge /.well-known/rtgf'
    Description: 'GET /.well-known/rtgf through Front Door (the health probe path).'
    Enabled: true
    Frequency: 300
    Timeout: 30
    Kind: 'standard'
    RetryEnabled: true
    Locations: [for id in testLocations: { Id: id }]
    Request: {
      RequestUrl: 'https://${edgeHostName}/.well-known/rtgf'
      HttpVerb: 'GET'
      ParseDependentRequests: false
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 7
    }
  }
}

resource availabilityAlert 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: alertName
  location: 'global'
  tags: tags
  properties: {
    description: 'P0: /.well-known/rtgf through Front Door fails from ${failedLocationCount} or more test locations (edge or app down).'
    severity: 0
    enabled: true
    scopes: [webTest.id, appInsightsId]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria'
      webTestId: webTest.id
      componentId: appInsightsId
      failedLocationCount: failedLocationCount
    }
    actions: [{ actionGroupId: actionGroupId }]
  }
}

output webTestId string = webTest.id
