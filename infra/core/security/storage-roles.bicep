@description('Storage account the roles apply to.')
param storageAccountName string

@description('Object id that gets the roles.')
param principalId string

@allowed(['ServicePrincipal', 'User'])
param principalType string

// Least privilege for GrantFlow: blobs (deployment package, task hub leases, run inputs), queues (task hub,
// notices) and tables (task hub history, ledger). No account keys, no management-plane rights.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(roles): {
    name: guid(account.id, principalId, role.value)
    scope: account
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    }
  }
]
