// Log Analytics + Application Insights (Entra-only ingestion), the alert rules of infra/monitoring/alerts.json as
// scheduled query rules, an action group, and the workbook of infra/monitoring/workbook.json.
param logAnalyticsName string
param appInsightsName string
param actionGroupName string
param alertRulePrefix string
param workbookDisplayName string
param location string
param tags object

@description('Where alerts go: an e-mail address, or empty for an action group with no receivers (wire one later).')
param alertEmail string

@description('Days Log Analytics keeps data.')
@minValue(30)
param retentionInDays int = 90

var alerts = loadJsonContent('../monitoring/alerts.json').alerts
var workbook = loadTextContent('../monitoring/workbook.json')

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    features: { disableLocalAuth: true }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Telemetry is accepted only with an Entra token: the host uses APPLICATIONINSIGHTS_AUTHENTICATION_STRING, the worker's
    // OpenTelemetry exporter the same identity as its Credential (TelemetryServices).
    DisableLocalAuth: true
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'rtgf'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [{ name: 'operators', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for alert in alerts: {
    name: '${alertRulePrefix}${alert.name}'
    location: location
    tags: tags
    properties: {
      displayName: alert.name
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [appInsights.id]
      evaluationFrequency: alert.evaluationFrequency
      windowSize: alert.windowSize
      criteria: {
        allOf: [
          {
            query: alert.query
            metricMeasureColumn: alert.metricMeasureColumn
            timeAggregation: alert.timeAggregation
            operator: alert.operator
            threshold: alert.threshold
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      actions: { actionGroups: [actionGroup.id] }
    }
  }
]

resource goldenSignals 'Microsoft.Insights/workbooks@2023-06-01' = {
  // Workbook names are GUIDs; this one is stable per Application Insights resource.
  name: guid(appInsights.id, 'rtgf-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: workbookDisplayName
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: workbook
  }
}

output appInsightsId string = appInsights.id
output appInsightsName string = appInsights.name
output actionGroupId string = actionGroup.id
output connectionString string = appInsights.properties.ConnectionString
