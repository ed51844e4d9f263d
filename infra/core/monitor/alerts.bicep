// Alert rules on GrantFlow's OpenTelemetry metrics (exported by the Functions app to Application Insights, where they
// land in customMetrics): a failed run, a run that expired past its approval deadline, notices overdue for their
// pass-down, and a storage service failing GrantFlow's requests.
param applicationInsightsName string
param location string
param tags object = {}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var rules = [
  {
    name: 'grantflow-run-failed'
    description: 'A GrantFlow run failed (its reason is on the run record: GET /api/runs/{id}).'
    severity: 1
    query: 'customMetrics | where name == "grantflow.runs.ended" and tostring(customDimensions.status) == "failed" | summarize total = sum(valueSum)'
    window: 'PT15M'
  }
  {
    name: 'grantflow-run-expired'
    description: 'A GrantFlow run was stuck past its approval deadline and expired.'
    severity: 2
    query: 'customMetrics | where name == "grantflow.runs.ended" and tostring(customDimensions.status) == "expired" | summarize total = sum(valueSum)'
    window: 'PT1H'
  }
  {
    name: 'grantflow-passdown-overdue'
    description: 'A province notice passed its pass-down deadline without being passed down to the counties.'
    severity: 2
    query: 'customMetrics | where name == "grantflow.passdowns.overdue" | summarize total = sum(valueSum)'
    window: 'PT1H'
  }
  {
    name: 'grantflow-storage-failing'
    description: 'The storage account failed more than 100 of GrantFlow\'s requests in 15 minutes (5xx, throttling, or no answer).'
    severity: 2
    query: 'customMetrics | where name == "grantflow.storage.failures" | summarize total = sum(valueSum) | where total > 100'
    window: 'PT15M'
  }
]

resource alerts 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for rule in rules: {
  name: rule.name
  location: location
  tags: tags
  properties: {
    displayName: rule.name
    description: rule.description
    severity: rule.severity
    enabled: true
    scopes: [ applicationInsights.id ]
    evaluationFrequency: 'PT5M'
    windowSize: rule.window
    criteria: {
      allOf: [
        {
          query: rule.query
          timeAggregation: 'Total'
          metricMeasureColumn: 'total'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
  }
}]

output alertRuleNames array = [for (rule, i) in rules: alerts[i].name]
