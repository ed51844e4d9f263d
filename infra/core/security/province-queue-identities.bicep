@description('Storage account holding the notice queues.')
param storageAccountName string
param location string
param tags object = {}

@description('Prefix of the identities\' names: {prefix}-{province code}.')
param namePrefix string

@description('GB/T 2260 codes of the provinces (the same list the storage account makes queues for).')
param provinceCodes string[]

// One identity per province for `grantflow notices receive --queue`: Storage Queue Data Message Processor (peek,
// receive, delete) on its own queue notices-{code} and nothing else - no other queue, no table, no blob, no send.
// A province's own system signs in as it (a federated credential or a client secret added by the finance office).
var queueMessageProcessor = '8a0f0c08-91a1-4084-bc3d-661d67233fed'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = [
  for code in provinceCodes: {
    parent: queueService
    name: 'notices-${code}'
  }
]

resource identities 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = [
  for code in provinceCodes: {
    name: '${namePrefix}-${code}'
    location: location
    tags: union(tags, { 'grantflow-province': code })
  }
]

resource processors 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (code, i) in provinceCodes: {
    name: guid(queues[i].id, identities[i].id, queueMessageProcessor)
    scope: queues[i]
    properties: {
      principalId: identities[i].properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueMessageProcessor)
    }
  }
]

output clientIds array = [for (code, i) in provinceCodes: { province: code, clientId: identities[i].properties.clientId }]
