// Alerts over Application Insights, on the names the app exports (Core's MetricNames): the share of function
// executions (HTTP requests) that fail; the share of async jobs that end failed (serverless.jobs.finished, tagged
// by status); the p99 of async acks (the job.submit span, a request); the age of the oldest message waiting in the
// task hub's control queues (orchestrations falling behind); and poison messages in the task hub.
// Notifications go to an action group when an email is given; without one the alerts still fire in the portal.

@description('Azure region for the scheduled query rules.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Prefix of the alert and action group names.')
param namePrefix string

@description('Application Insights component the alerts query.')
param appInsightsId string

@description('Email that receives alert notifications; empty for none.')
param alertEmail string

@description('Percentage of failed requests over 15 minutes that raises the function failure alert.')
@minValue(1)
@maxValue(100)
param functionFailurePercent int

@description('Percentage of async jobs finishing failed over 15 minutes that raises the job failure alert.')
@minValue(1)
@maxValue(100)
param jobFailurePercent int

@description('p99 of async submit acks, in milliseconds over 15 minutes, that raises the ack latency alert.')
@minValue(10)
param ackLatencyP99Ms int

@description('Age in seconds of the oldest message waiting in a control queue that raises the backlog alert.')
@minValue(5)
param controlQueueAgeSeconds int

@description('Fewest requests or jobs in the window before a rate is judged (avoids alerts on 1 of 1).')
@minValue(1)
param minimumCount int

var hasEmail = !empty(alertEmail)

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (hasEmail) {
  name: '${namePrefix}-alerts'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take(replace(namePrefix, '-', ''), 12)
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = hasEmail ? { actionGroups: [actionGroup.id] } : { actionGroups: [] }

resource functionFailures 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-function-failure-rate'
  location: location
  tags: tags
  properties: {
    displayName: 'Function failure rate'
    description: 'More than ${functionFailurePercent}% of function HTTP requests failed in 15 minutes.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: format(
            '''
requests
| summarize total = sum(itemCount), failed = sumif(itemCount, success == false)
| where total >= {0}
| extend failurePercent = 100.0 * failed / total
| where failurePercent > {1}
''',
            minimumCount,
            functionFailurePercent
          )
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

resource jobFailures 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-job-failure-rate'
  location: location
  tags: tags
  properties: {
    displayName: 'Job failure rate'
    description: 'More than ${jobFailurePercent}% of async jobs finished failed in 15 minutes.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          // The counter's tags (action, status) arrive as customDimensions; status values are the protocol's.
          query: format(
            '''
customMetrics
| where name == "serverless.jobs.finished"
| summarize total = sum(valueSum), failed = sumif(valueSum, tostring(customDimensions.status) == "failed")
| where total >= {0}
| extend failurePercent = 100.0 * failed / total
| where failurePercent > {1}
''',
            minimumCount,
            jobFailurePercent
          )
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

resource ackLatency 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-ack-latency-p99'
  location: location
  tags: tags
  properties: {
    displayName: 'Async ack latency p99'
    description: 'The p99 of async submit acks exceeded ${ackLatencyP99Ms} ms over 15 minutes.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          // The submit span's tags arrive as customDimensions; only async submits end at the ack.
          query: format(
            '''
requests
| where name == "job.submit" and tostring(customDimensions["job.mode"]) == "async"
| summarize acks = sum(itemCount), p99 = percentile(duration, 99)
| where acks >= {0} and p99 > {1}
''',
            minimumCount,
            ackLatencyP99Ms
          )
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

resource controlQueueAge 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-control-queue-age'
  location: location
  tags: tags
  properties: {
    displayName: 'Task hub control-queue backlog'
    description: 'A message waited more than ${controlQueueAgeSeconds} s in a control queue: orchestrations are falling behind.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: format(
            '''
customMetrics
| where name == "serverless.durable.control_queue.oldest_message_age"
| summarize oldestSeconds = max(valueMax)
| where oldestSeconds > {0}
''',
            controlQueueAgeSeconds
          )
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

resource poisonMessages 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-poison-messages'
  location: location
  tags: tags
  properties: {
    displayName: 'Task hub poison messages'
    description: 'A task hub message was delivered Capacity__PoisonDequeueCount times or more without completing.'
    severity: 1
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''
customMetrics
| where name == "serverless.durable.poison_messages"
| summarize poison = max(valueMax)
| where poison > 0
'''
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}
