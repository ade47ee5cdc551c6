// The function app on Flex Consumption, with a system-assigned identity and identity-based connections to
// Storage and Event Hubs. The settings here are the ones local.settings.sample.json lists; everything not
// set keeps the app's default (tests/Serverless.Infra.Tests holds the mapping and the reasons).

@description('Azure region for the resources.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Flex Consumption plan name.')
param planName string

@description('Function app name (also its host name: NAME.azurewebsites.net).')
param appName string

@description('Storage account for the host, the task hub, job state and the deployment package.')
param storageAccountName string

@description('Blob container the deployment package is uploaded to.')
param deploymentContainerName string

@description('Application Insights component the app reports to.')
param appInsightsName string

@description('SignalR Service the app pushes through; its access key is read here, never passed around.')
param signalRName string

@description('Which SignalR access key signs negotiate and REST tokens; the other one is SignalR__SecondaryAccessKey. Switch before renewing the active key (docs/DEPLOY.md).')
@allowed([
  'primary'
  'secondary'
])
param signalRSigner string

@description('Event Hubs namespace host name, e.g. NAME.servicebus.windows.net.')
param eventHubsNamespace string

@description('Event hub that receives job lifecycle events.')
param eventHubName string

@description('Consumer group readers use.')
param eventHubConsumerGroup string

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Concurrent HTTP requests one instance handles before another is added.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int

@description('Issuer of callers\' tokens (Auth__Issuer).')
param authIssuer string

@description('Audience of callers\' tokens (Auth__Audience).')
param authAudience string

@description('HS256 key of callers\' tokens (Auth__SigningKey); empty when authMetadataAddress is set.')
@secure()
param authSigningKey string

@description('OpenID Connect metadata address of the token issuer (Auth__MetadataAddress); empty for HS256.')
param authMetadataAddress string

@description('Value of the host function key signalr_upstream, which Azure SignalR Service\'s upstream URL carries.')
@secure()
param upstreamFunctionKey string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' existing = {
  name: signalRName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Identity-based host storage: the Functions host and the Durable task hub (connectionName AzureWebJobsStorage).
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        // Job state with the managed identity: set service URIs win over the connection string.
        { name: 'Storage__TableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'Storage__BlobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'Storage__QueueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'Auth__Issuer', value: authIssuer }
        { name: 'Auth__Audience', value: authAudience }
        { name: 'Auth__SigningKey', value: authSigningKey }
        { name: 'Auth__MetadataAddress', value: authMetadataAddress }
        // Access keys, not the identity: upstream requests are signed with them (X-ASRS-Signature).
        // The active key signs tokens; the other is still accepted on upstream signatures, so either can be renewed.
        {
          name: 'SignalR__ConnectionString'
          value: signalRSigner == 'primary' ? signalR.listKeys().primaryConnectionString : signalR.listKeys().secondaryConnectionString
        }
        {
          name: 'SignalR__SecondaryAccessKey'
          value: signalRSigner == 'primary' ? signalR.listKeys().secondaryKey : signalR.listKeys().primaryKey
        }
        { name: 'EventStream__FullyQualifiedNamespace', value: eventHubsNamespace }
        { name: 'EventStream__EventHubName', value: eventHubName }
        { name: 'EventStream__ConsumerGroup', value: eventHubConsumerGroup }
      ]
    }
  }
}

// The key the SignalR upstream URL template carries (?code=); SignalRUpstream is AuthorizationLevel.Function.
// Set here rather than read back, so SignalR (deployed first, its keys are in the app settings) can take it too.
// ARM's createOrUpdateHostSecret (PUT sites/{app}/host/default/functionKeys/{name}) has no published Bicep types.
#disable-next-line BCP081
resource upstreamKey 'Microsoft.Web/sites/host/functionKeys@2024-11-01' = {
  name: '${app.name}/default/signalr_upstream'
  properties: {
    name: 'signalr_upstream'
    value: upstreamFunctionKey
  }
}

@description('Function app name.')
output name string = app.name

@description('Function app default host name.')
output defaultHostName string = app.properties.defaultHostName

@description('Object ID of the app\'s system-assigned identity (for role assignments).')
output principalId string = app.identity.principalId
