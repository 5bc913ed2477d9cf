using System.ComponentModel.DataAnnotations;

namespace NotifyHub.Storage;

/// <summary>
/// The storage account the hub keeps its state and queues in: the host's own <c>AzureWebJobsStorage</c> connection. Either
/// a connection string (Azurite locally), or — in Azure, where shared-key access is off — an identity-based connection
/// as the Functions host itself takes it: <c>AzureWebJobsStorage__accountName</c> (or <c>__tableServiceUri</c>,
/// <c>__queueServiceUri</c>, <c>__blobServiceUri</c>), with <c>AzureWebJobsStorage__credential=managedidentity</c> and
/// <c>AzureWebJobsStorage__clientId</c> for a user-assigned identity.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public string ConnectionString { get; set; } = "";

    public string AccountName { get; set; } = "";
    public string TableServiceUri { get; set; } = "";
    public string QueueServiceUri { get; set; } = "";
    public string BlobServiceUri { get; set; } = "";
    /// <summary><c>managedidentity</c>, or empty for the default Azure credential chain.</summary>
    public string Credential { get; set; } = "";
    /// <summary>The client id of the user-assigned managed identity to use.</summary>
    public string ClientId { get; set; } = "";

    public bool UsesIdentity => ConnectionString.Length == 0;

    /// <summary>The table endpoint of an identity-based connection: the explicit URI, else the account's public one.</summary>
    public Uri TableEndpoint() => Endpoint(TableServiceUri, "table");

    /// <summary>The queue endpoint of an identity-based connection: the explicit URI, else the account's public one.</summary>
    public Uri QueueEndpoint() => Endpoint(QueueServiceUri, "queue");

    /// <summary>The blob endpoint of an identity-based connection: the explicit URI, else the account's public one.</summary>
    public Uri BlobEndpoint() => Endpoint(BlobServiceUri, "blob");

    private Uri Endpoint(string explicitUri, string service) =>
        explicitUri.Length > 0 ? new Uri(explicitUri) : new Uri($"https://{AccountName}.{service}.core.windows.net/");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConnectionString.Length > 0) yield break;
        if (AccountName.Length == 0 && (TableServiceUri.Length == 0 || QueueServiceUri.Length == 0))
        {
            yield return new ValidationResult(
                "AzureWebJobsStorage is not set: give the storage connection string (the DevHost sets it for you), or in Azure an identity-based " +
                "connection: AzureWebJobsStorage__accountName (or AzureWebJobsStorage__tableServiceUri and AzureWebJobsStorage__queueServiceUri), " +
                "with AzureWebJobsStorage__credential=managedidentity and AzureWebJobsStorage__clientId.");
            yield break;
        }
        if (AccountName.Length > 0 && (AccountName.Length is < 3 or > 24 || !AccountName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))))
            yield return new ValidationResult($"AzureWebJobsStorage__accountName '{AccountName}' is not a storage account name (3 to 24 lower-case letters and digits).");
        foreach (var (name, uri) in new[] { ("tableServiceUri", TableServiceUri), ("queueServiceUri", QueueServiceUri), ("blobServiceUri", BlobServiceUri) })
        {
            if (uri.Length > 0 && !(Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps))
                yield return new ValidationResult($"AzureWebJobsStorage__{name} '{uri}' is not an absolute https URI.");
        }
        if (Credential.Length > 0 && !Credential.Equals("managedidentity", StringComparison.OrdinalIgnoreCase))
            yield return new ValidationResult($"AzureWebJobsStorage__credential '{Credential}' is not supported: use managedidentity, or leave it out.");
    }

    /// <summary>host.json <c>extensions.queues.messageEncoding</c>: how messages must be written for the queue trigger to read them.</summary>
    public string MessageEncoding { get; set; } = "base64";

    /// <summary>host.json <c>extensions.queues.maxDequeueCount</c>: the attempt after which the host moves a failing message to its poison queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary><c>Testing:FaultPlanFile</c>: the fault-injection tests' plan (<see cref="FaultInjectionPolicy"/>); Development only.</summary>
    public string FaultPlanFile { get; set; } = "";

    /// <summary>Whether the hub runs in the Development environment (what may be set depends on it).</summary>
    public bool Development { get; set; }
}

/// <summary>Table and queue names, in one place.</summary>
public static class StorageNames
{
    public const string IncidentsTable = "Incidents";
    public const string ApiKeysTable = "ApiKeys";
    public const string OrganisationsTable = "Organisations";
    public const string DirectoryIndexTable = "DirectoryIndex";
    public const string LedgerTable = "Ledger";
    public const string ViewsTable = "Views";
    public const string RecipientDeliveriesTable = "RecipientDeliveries";
    public const string ChildHistoryTable = "ChildHistory";
    public const string StuckIncidentsTable = "StuckIncidents";
    public const string ForcesTable = "Forces";
    public const string AuditTable = "Audit";
    public const string RetentionTable = "Retention";
    public const string OpenDeliveriesTable = "OpenDeliveries";
    public const string WebhookEndpointsTable = "WebhookEndpoints";
    public const string CalendarsTable = "Calendars";
    public const string DueIndexTable = "DueIndex";
    public const string LateSharesTable = "LateShares";
    public const string RollupsTable = "Rollups";
    public const string ManifestsTable = "Manifests";
    public const string RepeatChildrenTable = "RepeatChildren";
    public const string DashboardLinksTable = "DashboardLinks";
    public const string DecisionsAwaitingTable = "DecisionsAwaiting";
    public const string DecisionsMadeTable = "DecisionsMade";
    public const string DecisionFollowUpsTable = "DecisionFollowUps";
    public const string StrategyDeliveriesTable = "StrategyDeliveries";
    public const string AreaPathsTable = "AreaPaths";
    public const string FrontDoorHopsTable = "FrontDoorHops";
    /// <summary>Which incidents changed when (partition: the UTC day): what the evidence anchor reads. A projection of the ledger.</summary>
    public const string EvidenceChangesTable = "EvidenceChanges";
    /// <summary>The anchors made (partition <c>anchors</c>) and each incident's inclusion proofs in them (partition: the incident id).</summary>
    public const string EvidenceAnchorsTable = "EvidenceAnchors";

    public const string IncidentsQueue = "incidents";
    public const string DeliveriesQueue = "deliveries";
    public const string EscalationsQueue = "escalations";
    public const string ViewRebuildsQueue = "view-rebuilds";

    public static readonly string[] Tables =
    [
        IncidentsTable, ApiKeysTable, OrganisationsTable, DirectoryIndexTable,
        LedgerTable, ViewsTable, RecipientDeliveriesTable, ChildHistoryTable, StuckIncidentsTable, ForcesTable,
        AuditTable, RetentionTable, OpenDeliveriesTable, WebhookEndpointsTable,
        CalendarsTable, DueIndexTable, LateSharesTable, RollupsTable, ManifestsTable, RepeatChildrenTable, DashboardLinksTable,
        DecisionsAwaitingTable, DecisionsMadeTable, DecisionFollowUpsTable,
        StrategyDeliveriesTable, EvidenceChangesTable, EvidenceAnchorsTable, AreaPathsTable, FrontDoorHopsTable,
    ];
    public static readonly string[] Queues = [IncidentsQueue, DeliveriesQueue, EscalationsQueue, ViewRebuildsQueue];

    /// <summary>Blob container of strategy discussions' minutes as PDFs: blob <c>{incidentId}/{discussion}-{random}.pdf</c> (ids only).</summary>
    public const string MinutesContainer = "strategy-minutes";
    /// <summary>The signed daily evidence anchors: write-once (the Azure template puts the container under a time-based immutability policy).</summary>
    public const string AnchorsContainer = "evidence-anchors";
    public static readonly string[] Containers = [MinutesContainer, AnchorsContainer];

    /// <summary>The function that consumes a queue.</summary>
    public static string? ConsumerOf(string queue) => queue switch
    {
        IncidentsQueue => "RouteIncident",
        DeliveriesQueue => "DeliverNotification",
        EscalationsQueue => "EscalateLateShare",
        ViewRebuildsQueue => "ContinueViewRebuild",
        _ => null,
    };
}
