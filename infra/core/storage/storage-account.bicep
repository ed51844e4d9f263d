@description('Storage account name (3-24 lowercase letters and digits).')
param name string
param location string
param tags object = {}

@description('Blob containers to create.')
param containers string[] = []

@description('Container of the external ledger anchors: write-once (WORM) under a time-based retention policy.')
param anchorContainer string = 'ledger-anchors'

@description('Days an anchor is kept immutable (10 years: the archive period of accounting records).')
@minValue(1)
param anchorRetentionDays int = 3650

@description('GB/T 2260 codes of the provinces; each gets a notice queue notices-{code}, a queue of its counties\' notices notices-{code}-counties and one of its prefectures\' notices notices-{code}-prefectures.')
param provinceCodes string[] = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37'
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65'
]

@description('GrantFlow tables (prefix GrantFlow, see GrantFlowStorageOptions).')
param tables string[] = ['GrantFlowRuns', 'GrantFlowRunIndex', 'GrantFlowAllocations', 'GrantFlowDecisions', 'GrantFlowLedger', 'GrantFlowLedgerIndex', 'GrantFlowOutbox', 'GrantFlowNotices', 'GrantFlowChase', 'GrantFlowDisputes', 'GrantFlowPlans']

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for container in containers: {
    parent: blobService
    name: container
  }
]

// Each run's chain head is written once to this container after its ledger (LedgerAnchorStore); the time-based
// retention policy makes every blob in it impossible to overwrite or delete until the period ends. Lock the policy
// (az storage container immutability-policy lock) once the deployment is accepted: a locked policy cannot be removed.
resource anchors 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: anchorContainer
}

resource anchorRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: anchors
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: anchorRetentionDays
    allowProtectedAppendWrites: false
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource grantFlowTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource noticeQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for code in provinceCodes: {
    parent: queueService
    name: 'notices-${code}'
  }
]

// One queue per province for its counties' notices (the county in each message): 31 queues, not ~2,850.
resource countyNoticeQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for code in provinceCodes: {
    parent: queueService
    name: 'notices-${code}-counties'
  }
]

// One queue per province for its prefectures' notices (the prefecture in each message): 31 queues, not ~333.
resource prefectureNoticeQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for code in provinceCodes: {
    parent: queueService
    name: 'notices-${code}-prefectures'
  }
]

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output provinceCodes string[] = provinceCodes
