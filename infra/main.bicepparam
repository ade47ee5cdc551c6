// Development environment. The signing key comes from the environment so it is never committed:
//   export SERVERLESS_AUTH_SIGNING_KEY="$(openssl rand -base64 48)"
using './main.bicep'

param baseName = 'srvless-dev'
param tags = {
  environment: 'dev'
  application: 'serverless'
}

param functionMaximumInstanceCount = 40
param functionInstanceMemoryMB = 2048
param functionHttpPerInstanceConcurrency = 16

param signalRSku = 'Standard_S1'
param signalRCapacity = 1
param signalRSigner = 'primary'

param eventHubsCapacity = 1
param eventHubPartitionCount = 4
param eventHubRetentionDays = 1
param eventHubConsumerGroup = 'cli'

param logRetentionDays = 30

param authIssuer = 'serverless-dev'
param authAudience = 'serverless'
param authSigningKey = readEnvironmentVariable('SERVERLESS_AUTH_SIGNING_KEY', '')
param authMetadataAddress = ''

param alertEmail = ''
param functionFailurePercent = 5
param jobFailurePercent = 10
param alertMinimumCount = 10
