// The Front Door profile and its WAF policy. Separate from the routes (edge.bicep) because the app needs the profile's
// id (X-Azure-FDID) to refuse traffic that did not come through it, and the routes need the app's host name.
param profileName string
param wafPolicyName string
param tags object

@allowed(['Standard_AzureFrontDoor', 'Premium_AzureFrontDoor'])
@description('Premium carries the managed rule sets (OWASP default rules and bot protection); Standard only custom rules.')
param sku string

@description('Requests per client IP per minute before the WAF answers 429.')
@minValue(100)
param rateLimitPerMinute int

var premium = sku == 'Premium_AzureFrontDoor'

resource profile 'Microsoft.Cdn/profiles@2025-06-01' = {
  name: profileName
  location: 'global'
  tags: tags
  sku: { name: sku }
  properties: { originResponseTimeoutSeconds: 60 }
}

resource waf 'Microsoft.Network/FrontDoorWebApplicationFirewallPolicies@2025-03-01' = {
  name: wafPolicyName
  location: 'global'
  tags: tags
  sku: { name: sku }
  properties: {
    policySettings: {
      enabledState: 'Enabled'
      mode: 'Prevention'
      requestBodyCheck: 'Enabled'
    }
    customRules: {
      rules: [
        {
          // The host's /admin/* (master-key routes) is not served at the edge: Front Door answers 403. An operator who
          // must call it opens a temporary access rule on the app itself (docs/runbooks/deploy.md#4-smoke-test).
          name: 'BlockHostAdmin'
          priority: 10
          enabledState: 'Enabled'
          ruleType: 'MatchRule'
          action: 'Block'
          matchConditions: [
            {
              matchVariable: 'RequestUri'
              operator: 'RegEx'
              negateCondition: false
              matchValue: ['^https?://[^/]+/admin(/|\\?|$)']
              transforms: ['Lowercase', 'UrlDecode']
            }
          ]
        }
        {
          name: 'RateLimitPerClientIp'
          priority: 100
          enabledState: 'Enabled'
          ruleType: 'RateLimitRule'
          rateLimitDurationInMinutes: 1
          rateLimitThreshold: rateLimitPerMinute
          action: 'Block'
          matchConditions: [
            { matchVariable: 'RequestUri', operator: 'Any', negateCondition: false, matchValue: [] }
          ]
          groupBy: [{ variableName: 'SocketAddr' }]
        }
      ]
    }
    managedRules: {
      managedRuleSets: premium
        ? [
            { ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1', ruleSetAction: 'Block' }
            { ruleSetType: 'Microsoft_BotManagerRuleSet', ruleSetVersion: '1.1' }
          ]
        : []
    }
  }
}

output profileName string = profile.name
output frontDoorId string = profile.properties.frontDoorId
output wafPolicyId string = waf.id
