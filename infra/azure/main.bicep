// NotifyHub in Azure, one environment per resource group: a Flex Consumption function app that reaches its
// storage and secrets with a user-assigned identity (no account keys anywhere), Key Vault for the hub's keys,
// a write-once (WORM) container for the signed evidence anchors, Application Insights on Log Analytics,
// diagnostic settings, and alerts for poison messages, stuck incidents and late shares. docs/deploy.md walks
// through deploying it and rotating each secret.

targetScope = 'resourceGroup'

@description('Short prefix for resource names, e.g. nh-dev or nh-prod (lowercase letters, digits and hyphens).')
@minLength(2)
@maxLength(12)
param namePrefix string

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('The partnership\'s escalation contact: the alerts go to this address.')
param escalationContactEmail string

@description('How long an incident\'s personal data is held after routing (Retention__PersonalDataAfter, a .NET TimeSpan such as 90.00:00:00).')
param personalDataRetention string = '90.00:00:00'

@description('Instances kept warm for HTTP, so the first POST of the morning does not wait for a cold start. 0 allows scale to zero.')
@minValue(0)
@maxValue(20)
param alwaysReadyInstanceCount int = 1

@description('Upper bound on instances the platform may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('The hub\'s public https address for links in emails and webhooks. Empty: the function app\'s own https hostname.')
param publicBaseUrl string = ''

@description('Base64 HMAC key (at least 32 random bytes) for pseudonymous child identity keys: openssl rand -base64 32. Stored in Key Vault as Routing--ChildIdentityKey.')
@secure()
param childIdentityKey string

@description('Base64 HMAC key (at least 32 random bytes) that signs the links in emails: openssl rand -base64 32. Stored in Key Vault as Delivery--LinkSigningKey.')
@secure()
param linkSigningKey string

@description('Base64 key (at least 32 random bytes) that encrypts the recipients\' webhook signing secrets in table storage: openssl rand -base64 32. Stored in Key Vault as Delivery--WebhookSecretKey.')
@secure()
param webhookSecretKey string

@description('PEM of the ECDSA P-256 private key that signs the daily evidence anchors: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt. Stored in Key Vault as Evidence--SigningKey.')
@secure()
param evidenceSigningKey string

@description('SMTP server the secure-link emails go through.')
param smtpHost string

@description('SMTP port (587 for STARTTLS submission).')
@minValue(1)
@maxValue(65535)
param smtpPort int = 587

@description('Sender address of the hub\'s emails.')
param emailFrom string

@description('SMTP user name; empty when the server does not ask for one.')
param smtpUserName string = ''

@description('SMTP password; empty when the server does not ask for one. Stored in Key Vault as Email--Password.')
@secure()
param smtpPassword string = ''

@description('Days each signed evidence anchor is held write-once (WORM) in the evidence-anchors container, counted from when the anchor was written: no one, the hub included, can change or delete it before then. Default 2557 days (7 years).')
@minValue(1)
@maxValue(146000)
param evidenceRetentionDays int = 2557

@description('Days Log Analytics keeps the telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

var suffix = uniqueString(resourceGroup().id, namePrefix)
var functionAppName = '${namePrefix}-func-${suffix}'
var storageAccountName = take('st${toLower(replace(namePrefix, '-', ''))}${suffix}', 24)
var keyVaultName = 'kv-${suffix}'
var deploymentContainerName = 'app-package'
// The app writes its signed daily anchors here, blobs anchors/{number:D8}.json and anchors/{number:D8}.leaves.json.
var evidenceAnchorsContainerName = 'evidence-anchors'

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

// Blob Data Owner, not Contributor: the Functions host takes blob leases for the timer singletons and reads the
// deployment package. Queues and tables are the hub's own state. Nothing at account-management level.
var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource evidenceAnchorsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: evidenceAnchorsContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Time-based retention (WORM) on the whole container: a blob in it can be created and read, but neither
// overwritten nor deleted until evidenceRetentionDays after it was written — by anyone, the hub included. No
// append writes either: the hub only creates blobs. A policy deployed this way is UNLOCKED: it already refuses
// changes to the blobs, but can itself be shortened or removed, and the app's identity could remove it (Storage
// Blob Data Owner includes Microsoft.Storage/storageAccounts/blobServices/containers/*). Once the period is
// confirmed, lock it — irreversibly; from then on it can only be extended — with
// az storage container immutability-policy lock (docs/deploy.md, "Lock the evidence anchors' retention").
resource evidenceAnchorsRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: evidenceAnchorsContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: evidenceRetentionDays
    allowProtectedAppendWrites: false
    allowProtectedAppendWritesAll: false
  }
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    scope: storage
    name: guid(storage.id, identity.id, roleId)
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource childIdentityKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'Routing--ChildIdentityKey'
  properties: {
    value: childIdentityKey
    contentType: 'base64 HMAC key'
  }
}

resource linkSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'Delivery--LinkSigningKey'
  properties: {
    value: linkSigningKey
    contentType: 'base64 HMAC key'
  }
}

resource webhookSecretKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'Delivery--WebhookSecretKey'
  properties: {
    value: webhookSecretKey
    contentType: 'base64 AES key derivation secret'
  }
}

resource evidenceSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'Evidence--SigningKey'
  properties: {
    value: evidenceSigningKey
    contentType: 'PEM ECDSA P-256 private key'
  }
}

resource smtpPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(smtpPassword)) {
  parent: vault
  name: 'Email--Password'
  properties: {
    value: smtpPassword
  }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-log-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-appi-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
        alwaysReady: alwaysReadyInstanceCount > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyInstanceCount
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
  // The platform reads the package and the Key Vault references with the identity as soon as the app exists.
  dependsOn: [
    storageRoleAssignments
    vaultSecretsUser
    deploymentContainer
  ]
}

// Every setting the app validates at start-up or names in a trigger (%Name%); tests/NotifyHub.Tests/Deployment
// compares this list with the app, so it stays one literal object. Flex Consumption sets the runtime itself: no
// FUNCTIONS_WORKER_RUNTIME or FUNCTIONS_EXTENSION_VERSION here.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // The Functions host's identity-based connection (and the app's, through Azure.Identity): no account key.
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    AZURE_CLIENT_ID: identity.properties.clientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    AZURE_FUNCTIONS_ENVIRONMENT: 'Production'
    // The hub serves / itself (ShowHome, with routePrefix ""): the host's own "your app is running" page must not answer it.
    AzureWebJobsDisableHomepage: 'true'
    Directory__DemoMode: 'false'
    ReconcileIncidentsSchedule: '0 */1 * * * *'
    RepairDirectoryIndexSchedule: '0 */5 * * * *'
    PurgePersonalDataSchedule: '0 30 2 * * *'
    PingWebhookEndpointsSchedule: '0 0 7 * * *'
    SlaMonitorSchedule: '0 */1 * * * *'
    ReconcileManifestsSchedule: '0 15 * * * *'
    DailyDigestSchedule: '0 0 7 * * *'
    EvidenceAnchorSchedule: '0 30 0 * * *'
    ProjectLedgerSchedule: '30 */1 * * * *'
    // Versionless secret URIs: a new secret version is picked up without redeploying (docs/deploy.md).
    Routing__ChildIdentityKey: '@Microsoft.KeyVault(SecretUri=${childIdentityKeySecret.properties.secretUri})'
    Delivery__LinkSigningKey: '@Microsoft.KeyVault(SecretUri=${linkSigningKeySecret.properties.secretUri})'
    Evidence__SigningKey: '@Microsoft.KeyVault(SecretUri=${evidenceSigningKeySecret.properties.secretUri})'
    Delivery__WebhookSecretKey: '@Microsoft.KeyVault(SecretUri=${webhookSecretKeySecret.properties.secretUri})'
    Delivery__PublicBaseUrl: empty(publicBaseUrl) ? 'https://${functionApp.properties.defaultHostName}' : publicBaseUrl
    Retention__PersonalDataAfter: personalDataRetention
    Email__SmtpHost: smtpHost
    Email__SmtpPort: string(smtpPort)
    Email__From: emailFrom
    Email__UserName: smtpUserName
    Email__Password: empty(smtpPassword) ? '' : '@Microsoft.KeyVault(SecretUri=${smtpPasswordSecret!.properties.secretUri})'
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-escalation'
  location: 'global'
  properties: {
    groupShortName: take('nh${replace(namePrefix, '-', '')}', 12)
    enabled: true
    emailReceivers: [
      {
        name: 'escalation-contact'
        emailAddress: escalationContactEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Log alerts on the app's own structured events (functions/*/…Log.cs) and the host's poison-queue message, in
// Application Insights' traces, and on the app's OpenTelemetry counters, in customMetrics (docs/telemetry.md). A
// message text is matched as well as the event id, so the alerts do not depend on how the event id reaches
// customDimensions.
var logAlerts = [
  {
    name: 'poison-messages'
    displayName: 'NotifyHub: queue messages poisoned or discarded'
    description: 'A queue message reached maxDequeueCount and was moved to <queue>-poison, or was unreadable and discarded (events 2004, 4001, 5004). Inspect and replay with the ReplayPoisonMessages admin API.'
    severity: 1
    query: 'union (traces | where message has "-poison" or message has "Discarded an unreadable message" or message has "could not be read" or tostring(customDimensions.EventId) in ("2004", "4001", "5004")), (customMetrics | where name == "notifyhub.messages.poison" and value > 0)'
  }
  {
    name: 'stuck-incidents'
    displayName: 'NotifyHub: incident stuck, not routed'
    description: 'ReconcileIncidents gave up re-queuing an incident (event 1012): an operator must retry it (ListStuckIncidents, RetryStuckIncident).'
    severity: 1
    query: 'traces | where message has "is stuck: still not routed" or tostring(customDimensions.EventId) == "1012"'
  }
  {
    name: 'late-shares'
    displayName: 'NotifyHub: notification late'
    description: 'SlaMonitor judged a notification late: due and not acknowledged (event 5002). See ListLateShares.'
    severity: 2
    query: 'union (traces | where message has " is late: due " or tostring(customDimensions.EventId) == "5002"), (customMetrics | where name == "notifyhub.shares.late" and value > 0)'
  }
]

resource alerts 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in logAlerts: {
    name: '${namePrefix}-${alert.name}'
    location: location
    properties: {
      displayName: alert.displayName
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [
        appInsights.id
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: {
        actionGroups: [
          actionGroup.id
        ]
      }
    }
  }
]

resource functionAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: functionApp
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource storageDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: storage
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

var storageLogs = [
  {
    category: 'StorageRead'
    enabled: true
  }
  {
    category: 'StorageWrite'
    enabled: true
  }
  {
    category: 'StorageDelete'
    enabled: true
  }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: blobService
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logs: storageLogs
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: queueService
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logs: storageLogs
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: tableService
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logs: storageLogs
  }
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output functionAppName string = functionApp.name
output functionAppHostName string = functionApp.properties.defaultHostName
output keyVaultName string = vault.name
output storageAccountName string = storage.name
output identityClientId string = identity.properties.clientId
