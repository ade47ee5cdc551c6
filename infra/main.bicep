// Serverless job router: everything in one resource group.
//   az deployment group create -g RG --template-file infra/main.bicep --parameters infra/main.bicepparam
// then publish the function app (docs/DEPLOY.md).

targetScope = 'resourceGroup'

@description('Azure region; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Short prefix of every resource name (lowercase letters, digits, hyphens).')
@minLength(3)
@maxLength(12)
param baseName string = 'serverless'

@description('Tags applied to every resource.')
param tags object = {}

@description('Most function app instances (Flex Consumption: 40-1000).')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Memory per function app instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Concurrent HTTP requests per instance before Flex Consumption adds one.')
@minValue(1)
@maxValue(1000)
param functionHttpPerInstanceConcurrency int = 16

@description('SignalR Service SKU: Free_F1 (20 connections, dev only) or Standard_S1/Premium_P1 (1,000 connections per unit).')
@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param signalRSku string = 'Standard_S1'

@description('SignalR units (1,000 connections each; ignored on Free_F1): 1 to 10, then 20, 30, ... 100, the only counts Standard_S1 and Premium_P1 accept.')
@allowed([
  1
  2
  3
  4
  5
  6
  7
  8
  9
  10
  20
  30
  40
  50
  60
  70
  80
  90
  100
])
param signalRCapacity int = 1

@description('Which SignalR access key the app signs tokens with (the other is accepted on upstream signatures). To renew the active key without downtime, deploy with the other one first (docs/DEPLOY.md).')
@allowed([
  'primary'
  'secondary'
])
param signalRSigner string = 'primary'

@description('Event Hubs throughput units (1 MB/s or 1,000 events/s in each).')
@minValue(1)
@maxValue(40)
param eventHubsCapacity int = 1

@description('Partitions of the jobs event hub (fixed after creation).')
@minValue(1)
@maxValue(32)
param eventHubPartitionCount int = 4

@description('Days job lifecycle events stay in the event hub.')
@minValue(1)
@maxValue(7)
param eventHubRetentionDays int = 1

@description('Consumer group created for event readers (the CLI).')
param eventHubConsumerGroup string = 'cli'

@description('Days Log Analytics keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Issuer of callers\' tokens.')
param authIssuer string

@description('Audience of callers\' tokens.')
param authAudience string

@description('HS256 key of callers\' tokens, at least 32 characters; empty only when authMetadataAddress is set.')
@secure()
param authSigningKey string = ''

@description('OpenID Connect metadata address of the token issuer (tokens checked against its keys); empty for HS256.')
param authMetadataAddress string = ''

@description('Function key of the SignalR upstream (host key signalr_upstream, carried as ?code= in the upstream URL). Default: a new random value each deployment, set on both sides in the same deployment.')
@secure()
param upstreamFunctionKey string = newGuid()

@description('Email that receives alert notifications; empty for none.')
param alertEmail string = ''

@description('Failed function requests, in percent over 15 minutes, that raise an alert.')
@minValue(1)
@maxValue(100)
param functionFailurePercent int = 5

@description('Async jobs finishing failed, in percent over 15 minutes, that raise an alert.')
@minValue(1)
@maxValue(100)
param jobFailurePercent int = 10

@description('p99 of async submit acks, in milliseconds over 15 minutes, that raises an alert.')
@minValue(10)
param ackLatencyP99Ms int = 1000

@description('Age in seconds of the oldest message waiting in a task hub control queue that raises an alert.')
@minValue(5)
param controlQueueAgeSeconds int = 60

@description('Fewest requests or jobs in 15 minutes before the failure rates are judged.')
@minValue(1)
param alertMinimumCount int = 10

// Globally unique names stay stable across redeployments of the same resource group.
var suffix = uniqueString(resourceGroup().id)
var names = {
  workspace: '${baseName}-logs-${suffix}'
  appInsights: '${baseName}-ai-${suffix}'
  storage: take(toLower('st${replace(baseName, '-', '')}${suffix}'), 24)
  eventHubs: '${baseName}-eh-${suffix}'
  signalR: '${baseName}-sigr-${suffix}'
  plan: '${baseName}-plan-${suffix}'
  functionApp: '${baseName}-func-${suffix}'
}
var eventHubName = 'jobs'
var deploymentContainerName = 'app-package'

// The upstream host is the app's default host name, known before the app exists; SignalR must exist first
// because the app's settings carry its access key.
var functionAppHost = '${names.functionApp}.azurewebsites.net'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    retentionInDays: logRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    accountName: names.storage
    deploymentContainerName: deploymentContainerName
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  params: {
    location: location
    tags: tags
    namespaceName: names.eventHubs
    capacity: eventHubsCapacity
    eventHubName: eventHubName
    partitionCount: eventHubPartitionCount
    retentionInDays: eventHubRetentionDays
    consumerGroupName: eventHubConsumerGroup
  }
}

module signalR 'modules/signalr.bicep' = {
  name: 'signalr'
  params: {
    location: location
    tags: tags
    name: names.signalR
    skuName: signalRSku
    capacity: signalRCapacity
    functionAppHost: functionAppHost
    upstreamFunctionKey: upstreamFunctionKey
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    planName: names.plan
    appName: names.functionApp
    storageAccountName: storage.outputs.accountName
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsName: monitoring.outputs.appInsightsName
    signalRName: signalR.outputs.name
    signalRSigner: signalRSigner
    eventHubsNamespace: eventHubs.outputs.fullyQualifiedNamespace
    eventHubName: eventHubs.outputs.eventHubName
    eventHubConsumerGroup: eventHubs.outputs.consumerGroupName
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    httpPerInstanceConcurrency: functionHttpPerInstanceConcurrency
    authIssuer: authIssuer
    authAudience: authAudience
    authSigningKey: authSigningKey
    authMetadataAddress: authMetadataAddress
    upstreamFunctionKey: upstreamFunctionKey
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.accountName
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    eventHubName: eventHubs.outputs.eventHubName
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: tags
    namePrefix: baseName
    appInsightsId: monitoring.outputs.appInsightsId
    alertEmail: alertEmail
    functionFailurePercent: functionFailurePercent
    jobFailurePercent: jobFailurePercent
    ackLatencyP99Ms: ackLatencyP99Ms
    controlQueueAgeSeconds: controlQueueAgeSeconds
    minimumCount: alertMinimumCount
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: {
    location: location
    tags: tags
    namePrefix: baseName
    appInsightsId: monitoring.outputs.appInsightsId
  }
}

// Names and endpoints only; no keys or connection strings.
@description('Function app name (the target of az functionapp deploy).')
output functionAppName string = functionApp.outputs.name

@description('Function app base URL.')
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'

@description('Storage account name.')
output storageAccountName string = storage.outputs.accountName

@description('Event Hubs fully qualified namespace.')
output eventHubsNamespace string = eventHubs.outputs.fullyQualifiedNamespace

@description('Event hub with job lifecycle events.')
output eventHubName string = eventHubs.outputs.eventHubName

@description('SignalR Service name.')
output signalRName string = signalR.outputs.name
