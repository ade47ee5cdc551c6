// The storage account for the Functions host, the Durable task hub, job state (Tables, Blobs) and the
// Flex Consumption deployment package. Keys are disabled: every caller uses Entra ID.

@description('Azure region for the resources.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Storage account name (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param accountName string

@description('Blob container that holds the function app package (Flex Consumption deploys from it).')
param deploymentContainerName string

@description('Tables the app writes (job state, owner index, route statistics, event outbox, SignalR connection owners, job history, operator controls): created here, and again idempotently by the app at start.')
param appTables array = [
  'jobs'
  'userjobs'
  'routestats'
  'jobevents'
  'connections'
  'jobhistory'
  'operatorcontrols'
]

@description('Blob containers the app writes (values too large for a table property).')
param appContainers array = [
  'job-payloads'
]

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource appContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [for name in appContainers: {
  parent: blobService
  name: name
  properties: {
    publicAccess: 'None'
  }
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource appTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [for name in appTables: {
  parent: tableService
  name: name
}]

@description('Storage account name.')
output accountName string = account.name

@description('Blob endpoint, e.g. https://NAME.blob.core.windows.net/.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Table endpoint, e.g. https://NAME.table.core.windows.net/.')
output tableEndpoint string = account.properties.primaryEndpoints.table

@description('Deployment package container name.')
output deploymentContainerName string = deploymentContainer.name
