@description('Name of the public storage account (3-24 lowercase letters and digits).')
param name string
param location string
param tags object = {}

@description('The one container anyone may read: the published releases (Budget Law art. 14). GrantFlowStorageOptions.DisclosureContainer.')
param disclosureContainer string = 'disclosures'

@description('Object id of the identity that publishes (the Functions app): the only writer.')
param publisherPrincipalId string

// A storage account of its own for open data, so the main account keeps allowBlobPublicAccess false: this one allows
// anonymous blob reads and holds nothing but the disclosures container (anonymous read of its blobs, no listing; the
// yearly indexes and the Atom feed say what is there). No keys: only the publisher's identity writes, by Entra ID.
resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: true
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // A release is written once; versioning and soft delete keep what was published even if a writer errs.
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 365 }
    cors: {
      corsRules: [
        { allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'], allowedHeaders: ['*'], exposedHeaders: ['ETag'], maxAgeInSeconds: 3600 }
      ]
    }
  }
}

resource disclosures 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: disclosureContainer
  properties: {
    publicAccess: 'Blob'
  }
}

// Storage Blob Data Contributor on the container only: the publisher writes releases, indexes and the feed, nothing else.
resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(disclosures.id, publisherPrincipalId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: disclosures
  properties: {
    principalId: publisherPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output disclosuresUrl string = '${account.properties.primaryEndpoints.blob}${disclosureContainer}'
