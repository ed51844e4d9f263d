// The GrantFlow console (Blazor WebAssembly) on an Azure Static Web App, Standard plan (needed for a linked
// backend and custom Entra ID sign-in). Its /api is the Functions app, linked: same origin, no CORS, and the
// Static Web App forwards the signed-in user (and the roles its rolesSource, POST /api/auth/roles, assigned).

@description('Static Web App name.')
param name string

@description('Static Web Apps run in a few regions only; the API may be elsewhere.')
@allowed(['eastasia', 'eastus2', 'centralus', 'westus2', 'westeurope'])
param location string

param tags object = {}

@description('Name of the Functions app linked as the console\'s /api.')
param functionAppName string

@description('Client (application) id of the Entra ID app registration users sign in with (the API\'s, same app roles).')
param authClientId string

@secure()
@description('A client secret of that app registration, for the Static Web App\'s sign-in (custom Entra ID provider).')
param authClientSecret string

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource console 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // Linked backends are not supported in pull-request environments.
    stagingEnvironmentPolicy: 'Disabled'
    allowConfigFileUpdates: true
    enterpriseGradeCdnStatus: 'Disabled'
  }

  // Named by staticwebapp.config.json (auth.identityProviders.azureActiveDirectory.registration).
  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      GRANTFLOW_AUTH_CLIENT_ID: authClientId
      GRANTFLOW_AUTH_CLIENT_SECRET: authClientSecret
    }
  }

  resource api 'linkedBackends' = {
    name: 'api'
    properties: {
      backendResourceId: functionApp.id
      region: functionApp.location
    }
  }
}

output name string = console.name
output uri string = 'https://${console.properties.defaultHostname}'
