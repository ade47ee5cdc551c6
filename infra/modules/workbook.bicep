// The operators' views in Azure, from Application Insights: the dashboard's throughput, failure rate and latencies,
// and capacity (task hub queues, stages, process), over the last hour, day or week. Queries use the names the app
// exports (Core's MetricNames) and the submit and stage spans.

@description('Azure region of the workbook.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Prefix of the workbook name.')
param namePrefix string

@description('Application Insights component the workbook reads.')
param appInsightsId string

var chart = {
  version: 'KqlItem/1.0'
  size: 0
  timeContextFromParameter: 'TimeRange'
  queryType: 0
  resourceType: 'microsoft.insights/components'
  visualization: 'timechart'
}

var views = [
  {
    name: 'throughput'
    title: 'Jobs finished per minute, by status'
    query: '''
customMetrics
| where name == "serverless.jobs.finished"
| extend status = tostring(customDimensions.status)
| summarize jobs = sum(valueSum) by bin(timestamp, 1m), status
'''
  }
  {
    name: 'failure-rate'
    title: 'Failure rate (% of async jobs ended failed)'
    query: '''
customMetrics
| where name == "serverless.jobs.finished"
| summarize total = sum(valueSum), failed = sumif(valueSum, tostring(customDimensions.status) == "failed") by bin(timestamp, 5m)
| project timestamp, failurePercent = iff(total == 0, 0.0, 100.0 * failed / total)
'''
  }
  {
    name: 'ack-latency'
    title: 'Async ack latency p50 / p95 / p99 (ms)'
    query: '''
requests
| where name == "job.submit" and tostring(customDimensions["job.mode"]) == "async"
| summarize p50 = percentile(duration, 50), p95 = percentile(duration, 95), p99 = percentile(duration, 99) by bin(timestamp, 5m)
'''
  }
  {
    name: 'stage-duration'
    title: 'Stage duration p95 by action (ms)'
    query: '''
union requests, dependencies
| where name == "job.stage"
| extend action = tostring(customDimensions["job.action"])
| summarize p95 = percentile(duration, 95) by bin(timestamp, 5m), action
'''
  }
  {
    name: 'task-hub-queues'
    title: 'Task hub: messages waiting, stages waiting for a slot'
    query: '''
customMetrics
| where name in ("serverless.durable.control_queue.messages", "serverless.durable.work_item_queue.messages", "serverless.stages.waiting")
| summarize value = max(valueMax) by bin(timestamp, 5m), name
'''
  }
  {
    name: 'task-hub-age'
    title: 'Task hub: oldest waiting message (s) and poison messages'
    query: '''
customMetrics
| where name in ("serverless.durable.control_queue.oldest_message_age", "serverless.durable.work_item_queue.oldest_message_age", "serverless.durable.poison_messages")
| summarize value = max(valueMax) by bin(timestamp, 5m), name
'''
  }
  {
    name: 'process'
    title: 'Process: working set (MiB) and thread-pool queue, per instance'
    query: '''
customMetrics
| where name in ("dotnet.process.memory.working_set", "dotnet.thread_pool.queue.length")
| extend value = iff(name == "dotnet.process.memory.working_set", valueMax / 1048576, valueMax)
| summarize value = max(value) by bin(timestamp, 5m), series = strcat(name, " ", cloud_RoleInstance)
'''
  }
]

// The dashboard's windows: the last hour, the last 24 hours (the default) and the last week.
var timeRange = {
  type: 9
  name: 'parameters'
  content: {
    version: 'KqlParameterItem/1.0'
    parameters: [
      {
        id: 'time-range'
        version: 'KqlParameterItem/1.0'
        name: 'TimeRange'
        label: 'Time range'
        type: 4
        isRequired: true
        value: { durationMs: 86400000 }
        typeSettings: {
          selectableValues: [
            { durationMs: 3600000 }
            { durationMs: 86400000 }
            { durationMs: 604800000 }
          ]
        }
      }
    ]
  }
}

var workbookContent = {
  version: 'Notebook/1.0'
  items: concat(
    [timeRange],
    map(views, view => {
      type: 3
      name: view.name
      content: union(chart, { title: view.title, query: view.query })
    })
  )
  fallbackResourceIds: [appInsightsId]
  '$schema': 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json'
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's resource name must be a GUID; this one is stable per resource group and prefix.
  name: guid(resourceGroup().id, namePrefix, 'operations-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: '${namePrefix} operations'
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: string(workbookContent)
  }
}

@description('Workbook resource ID.')
output workbookId string = workbook.id
