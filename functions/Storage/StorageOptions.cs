using System.ComponentModel.DataAnnotations;

namespace NotifyHub.Storage;

/// <summary>The storage account the hub keeps its state and queues in (the host's own <c>AzureWebJobsStorage</c>).</summary>
public sealed class StorageOptions
{
    [Required(ErrorMessage = "AzureWebJobsStorage is not set: give the storage connection string (the DevHost sets it for you).")]
    public string ConnectionString { get; set; } = "";

    /// <summary>host.json <c>extensions.queues.messageEncoding</c>: how messages must be written for the queue trigger to read them.</summary>
    public string MessageEncoding { get; set; } = "base64";
}

/// <summary>Table and queue names, in one place.</summary>
public static class StorageNames
{
    public const string IncidentsTable = "Incidents";
    public const string ApiKeysTable = "ApiKeys";
    public const string OrganisationsTable = "Organisations";
    public const string DirectoryIndexTable = "DirectoryIndex";
    public const string DeliveriesTable = "Deliveries";
    public const string RecipientDeliveriesTable = "RecipientDeliveries";
    public const string UnroutedSharesTable = "UnroutedShares";
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

    public const string IncidentsQueue = "incidents";
    public const string DeliveriesQueue = "deliveries";
    public const string EscalationsQueue = "escalations";

    public static readonly string[] Tables =
    [
        IncidentsTable, ApiKeysTable, OrganisationsTable, DirectoryIndexTable,
        DeliveriesTable, RecipientDeliveriesTable, UnroutedSharesTable, ChildHistoryTable, StuckIncidentsTable, ForcesTable,
        AuditTable, RetentionTable, OpenDeliveriesTable, WebhookEndpointsTable,
        CalendarsTable, DueIndexTable, LateSharesTable, RollupsTable, ManifestsTable, RepeatChildrenTable,
    ];
    public static readonly string[] Queues = [IncidentsQueue, DeliveriesQueue, EscalationsQueue];

    /// <summary>The function that consumes a queue.</summary>
    public static string? ConsumerOf(string queue) => queue switch
    {
        IncidentsQueue => "RouteIncident",
        DeliveriesQueue => "DeliverNotification",
        EscalationsQueue => "EscalateLateShare",
        _ => null,
    };
}
