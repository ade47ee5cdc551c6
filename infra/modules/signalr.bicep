// Azure SignalR Service in Serverless mode. Client invocations are forwarded to the function app's upstream
// endpoint, which checks X-ASRS-Signature with the access keys, so local auth stays enabled.

@description('Azure region for the resources.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('SignalR Service name (globally unique).')
param name string

@description('SignalR Service SKU.')
@allowed([
  'Free_F1'
  'Standard_S1'
  'Premium_P1'
])
param skuName string

@description('Units (1,000 concurrent connections each): 1 to 10, then 20, 30, ... 100, as the service accepts; Free_F1 allows only 1.')
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
param capacity int

@description('Host name of the function app the service forwards client invocations to (upstream).')
param functionAppHost string

@description('Function key the upstream URL carries (?code=): the upstream function is not anonymous.')
@secure()
param upstreamFunctionKey string

var tier = split(skuName, '_')[0]

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: skuName
    tier: tier
    capacity: tier == 'Free' ? 1 : capacity
  }
  properties: {
    features: [
      { flag: 'ServiceMode', value: 'Serverless' }
      { flag: 'EnableConnectivityLogs', value: 'True' }
    ]
    // Upstream signatures (X-ASRS-Signature) are HMACs with the access keys: they must stay on.
    disableLocalAuth: false
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
    tls: { clientCertEnabled: false }
    upstream: {
      templates: [
        {
          // The SignalRUpstream function's route (api/upstream/{hub}/{category}/{event}), with the function key
          // the app checks (AuthorizationLevel.Function) besides the signature, which covers only the connection id.
          urlTemplate: 'https://${functionAppHost}/api/upstream/{hub}/{category}/{event}?code=${upstreamFunctionKey}'
          hubPattern: '*'
          categoryPattern: '*'
          eventPattern: '*'
        }
      ]
    }
  }
}

@description('SignalR Service name.')
output name string = signalR.name
