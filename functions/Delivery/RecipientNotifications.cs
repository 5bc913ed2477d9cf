using System.Text.Json;
using Azure.Data.Tables;
using NotifyHub.Domain.Delivery;
using NotifyHub.Routing;
using NotifyHub.Storage;
using NotifyHub.Telemetry;

namespace NotifyHub.Delivery;

/// <summary>A notification as its recipient sees it: its status and receipt, and the recipient's projection of the incident.</summary>
public sealed record NotificationView(
    string NotificationId, string IncidentId, string RecipientId, string RecipientType, string? ForceCode, string? IncidentReference, string Status,
    string? Channel, int Attempts, IReadOnlyList<AttemptSummary> AttemptLog, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt,
    AcknowledgementView? Acknowledged, bool ContentPurged, JsonElement? Content);

public sealed record AcknowledgementView(string Name, string Role, DateTimeOffset At)
{
    public static AcknowledgementView? Of(Acknowledgement? a) => a is null ? null : new(a.Name, a.Role, a.At);
}

/// <summary>One line of a recipient's inbox.</summary>
public sealed record InboxItem(string NotificationId, string IncidentId, string RecipientType, string Rule, string Status, DateTimeOffset CreatedAt);

public sealed record InboxPage(IReadOnlyList<InboxItem> Items, string? ContinuationToken);

/// <summary>
/// What a recipient does with its notifications — list, fetch, acknowledge — whichever way it came (API key or
/// email link). Every change goes through <see cref="Receipt"/> and is saved ETag-conditionally, read again and
/// re-applied if a delivery attempt moved the receipt meanwhile.
/// </summary>
public sealed class RecipientNotifications(ReceiptStore receipts, DeliveryStore deliveries, TableServiceClient tables, HubMetrics metrics, TimeProvider time)
{
    private TableClient Inbox => tables.GetTableClient(StorageNames.RecipientDeliveriesTable);

    /// <summary>The notification if it exists and is addressed to <paramref name="organisationId"/>; null otherwise (another's is not found, never forbidden).</summary>
    public async Task<DeliveryRecord?> FindAsync(string notificationId, string organisationId, CancellationToken cancellationToken)
    {
        if (!NotificationId.TryParse(notificationId, out var incidentId, out var recipientId) || recipientId != organisationId) return null;
        return await receipts.LoadAsync(incidentId, recipientId, cancellationToken);
    }

    /// <summary>Records that the recipient fetched it (delivered, if it was not already).</summary>
    public Task<DeliveryRecord> RetrievedAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        ChangeAsync(record, r => Receipt.Retrieved(r.Receipt, time.GetUtcNow()), r => r, cancellationToken);

    /// <summary>Records that the email link's page was opened (the first time is kept).</summary>
    public Task<DeliveryRecord> OpenedAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        record.FirstOpenedAt is not null
            ? RetrievedAsync(record, cancellationToken)
            : ChangeAsync(record, r => Receipt.Retrieved(r.Receipt, time.GetUtcNow()), r => r with { FirstOpenedAt = r.FirstOpenedAt ?? time.GetUtcNow() },
                cancellationToken, alwaysSave: true);

    /// <summary>Records the acknowledgement; a second one changes nothing and the first stands. Answers the record and whether this call acknowledged it.</summary>
    public async Task<(DeliveryRecord Record, bool First)> AcknowledgeAsync(DeliveryRecord record, AcknowledgedBy by, CancellationToken cancellationToken)
    {
        var first = false;
        var saved = await ChangeAsync(record, r =>
        {
            var change = Receipt.Acknowledge(r.Receipt, by.Name, by.Role, time.GetUtcNow());
            first = change.Changed;
            return change;
        }, r => r, cancellationToken);
        return (saved, first);
    }

    /// <summary>Revokes every email link sent for the delivery so far (a new nonce; later emails carry links with it).</summary>
    public Task<DeliveryRecord> RevokeLinksAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        ChangeAsync(record, r => ReceiptChange.Same(r.Receipt), r => r with { LinkNonce = LinkToken.NewNonce() }, cancellationToken, alwaysSave: true);

    public async Task<NotificationView> ViewAsync(DeliveryRecord record, CancellationToken cancellationToken)
    {
        var content = await deliveries.ContentAsync(record.IncidentId, record.RecipientId, cancellationToken);
        return new NotificationView(record.NotificationId, record.IncidentId, record.RecipientId, record.RecipientType, record.ForceCode,
            record.IncidentReference, record.Receipt.Status, record.Receipt.Channels.Count > 0 ? record.Receipt.Channel : null, record.Receipt.Attempts,
            (await receipts.AttemptsAsync(record.IncidentId, record.RecipientId, cancellationToken)).Select(AttemptSummary.Of).ToList(), record.CreatedAt,
            record.Receipt.DeliveredAt, AcknowledgementView.Of(record.Receipt.Acknowledged), content is null,
            content is null ? null : JsonDocument.Parse(content).RootElement.Clone());
    }

    /// <summary>The recipient's notifications, newest first; optionally one status and a window on when they were made.</summary>
    public async Task<InboxPage> ListAsync(string organisationId, string? status, DateTimeOffset? since, DateTimeOffset? until, string? tableToken, int pageSize,
        CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {organisationId}");
        if (status is not null) filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        if (since is { } s) filter += " and " + TableClient.CreateQueryFilter($"CreatedAt ge {s}");
        if (until is { } u) filter += " and " + TableClient.CreateQueryFilter($"CreatedAt lt {u}");
        var pages = Inbox.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(tableToken, pageSize);
        await foreach (var page in pages)
        {
            var items = page.Values.Select(row =>
            {
                var incidentId = InboxKeys.IncidentId(row.RowKey);
                return new InboxItem(NotificationId.Format(incidentId, organisationId), incidentId, row.GetString("RecipientType") ?? "", row.GetString("Rule") ?? "",
                    row.GetString("Status") ?? DeliveryStatus.Pending, row.GetDateTimeOffset("CreatedAt") ?? default);
            }).ToList();
            return new InboxPage(items, page.ContinuationToken is { } next ? ContinuationToken.Encode(next) : null);
        }
        return new InboxPage([], null);
    }

    private async Task<DeliveryRecord> ChangeAsync(DeliveryRecord record, Func<DeliveryRecord, ReceiptChange> change, Func<DeliveryRecord, DeliveryRecord> also,
        CancellationToken cancellationToken, bool alwaysSave = false)
    {
        var current = record;
        for (var tries = 0; tries < 10; tries++)
        {
            var result = change(current);
            if (!result.Changed && !alwaysSave) return current;
            if (await receipts.TrySaveAsync(also(current with { Receipt = result.State }), cancellationToken) is { } saved)
            {
                if (saved.Receipt.Status != current.Receipt.Status) metrics.Delivery(saved.Receipt.Status, saved.RecipientType, saved.Receipt.Channels.Count > 0 ? saved.Receipt.Channel : null);
                return saved;
            }
            current = await receipts.LoadAsync(record.IncidentId, record.RecipientId, cancellationToken)
                ?? throw new InvalidOperationException($"Delivery {record.NotificationId} disappeared while it was being changed.");
        }
        throw new InvalidOperationException($"Delivery {record.NotificationId} kept changing; try again.");
    }
}
