targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used in resource names and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Azure region of every resource.')
param location string

@description('Object id of the deploying user or pipeline; gets the same data roles as the app so it can inspect the ledger. Empty to skip.')
param principalId string = ''

@description('Client (application) id of the Entra ID app registration that signs users in (see README, "Deploy to Azure").')
param authClientId string

@description('Tenant id that issues the tokens; defaults to the deployment tenant.')
param authTenantId string = tenant().tenantId

@secure()
@description('A client secret of the same app registration, for the console\'s Static Web App sign-in.')
param authClientSecret string

@description('Region of the console\'s Static Web App (Static Web Apps run in a few regions only).')
@allowed(['eastasia', 'eastus2', 'centralus', 'westus2', 'westeurope'])
param consoleLocation string = 'eastasia'

var abbreviations = {
  resourceGroup: 'rg-'
  functionApp: 'func-'
  plan: 'plan-'
  storage: 'st'
  staticWebApp: 'stapp-'
  identity: 'id-'
  logAnalytics: 'log-'
  appInsights: 'appi-'
}
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbreviations.functionApp}grantflow-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbreviations.resourceGroup}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: '${abbreviations.identity}grantflow-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: '${abbreviations.logAnalytics}${resourceToken}'
    applicationInsightsName: '${abbreviations.appInsights}${resourceToken}'
    location: location
    tags: tags
  }
}

module alerts 'core/monitor/alerts.bicep' = {
  name: 'alerts'
  scope: resourceGroup
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: '${abbreviations.storage}${resourceToken}'
    location: location
    tags: tags
    containers: [deploymentContainerName, 'grantflow-run-inputs']
  }
}

module publicStorage 'core/storage/public-storage.bicep' = {
  name: 'public-storage'
  scope: resourceGroup
  params: {
    name: '${abbreviations.storage}pub${resourceToken}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module provinceQueueIdentities 'core/security/province-queue-identities.bicep' = {
  name: 'province-queue-identities'
  scope: resourceGroup
  params: {
    storageAccountName: storage.outputs.name
    location: location
    tags: tags
    namePrefix: '${abbreviations.identity}province-${resourceToken}'
    provinceCodes: storage.outputs.provinceCodes
  }
}

module appStorageRoles 'core/security/storage-roles.bicep' = {
  name: 'app-storage-roles'
  scope: resourceGroup
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
  }
}

module userStorageRoles 'core/security/storage-roles.bicep' = if (!empty(principalId)) {
  name: 'user-storage-roles'
  scope: resourceGroup
  params: {
    storageAccountName: storage.outputs.name
    principalId: principalId
    principalType: 'User'
  }
}

module monitoringRole 'core/security/monitoring-role.bicep' = {
  name: 'monitoring-role'
  scope: resourceGroup
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: identity.outputs.principalId
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: resourceGroup
  params: {
    name: functionAppName
    planName: '${abbreviations.plan}${resourceToken}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    publicBlobEndpoint: publicStorage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    authClientId: authClientId
    authTenantId: authTenantId
  }
  dependsOn: [appStorageRoles, monitoringRole]
}

module console 'app/console.bicep' = {
  name: 'console'
  scope: resourceGroup
  params: {
    name: '${abbreviations.staticWebApp}grantflow-${resourceToken}'
    location: consoleLocation
    tags: union(tags, { 'azd-service-name': 'console' })
    functionAppName: api.outputs.name
    authClientId: authClientId
    authClientSecret: authClientSecret
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output SERVICE_CONSOLE_NAME string = console.outputs.name
output PUBLIC_DISCLOSURES_URL string = publicStorage.outputs.disclosuresUrl
output PROVINCE_QUEUE_CLIENT_IDS array = provinceQueueIdentities.outputs.clientIds
output SERVICE_CONSOLE_URI string = console.outputs.uri
