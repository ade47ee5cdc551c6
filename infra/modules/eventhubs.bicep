// Event Hubs namespace and the hub job lifecycle events ship to. Local (SAS) auth is off: the app sends with
// its managed identity and readers use their own Entra ID identity.

@description('Azure region for the resources.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Event Hubs namespace name (globally unique).')
param namespaceName string

@description('Throughput units (each: 1 MB/s or 1,000 events/s in, 2 MB/s out).')
@minValue(1)
@maxValue(40)
param capacity int

@description('Event hub name.')
param eventHubName string

@description('Partitions of the event hub (fixed after creation on Standard).')
@minValue(1)
@maxValue(32)
param partitionCount int

@description('Days events are kept.')
@minValue(1)
@maxValue(7)
param retentionInDays int

@description('Consumer group for readers (the CLI), besides $Default.')
param consumerGroupName string

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: eventHubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: retentionInDays
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: consumerGroupName
}

@description('Event Hubs namespace name.')
output namespaceName string = namespace.name

// serviceBusEndpoint is https://NAME.servicebus.windows.net:443/; the SDK wants the bare host name.
@description('Fully qualified namespace, e.g. NAME.servicebus.windows.net.')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]

@description('Event hub name.')
output eventHubName string = hub.name

@description('Consumer group name.')
output consumerGroupName string = consumerGroup.name
