using System.Text.Json;
using Azure.Data.Tables;
using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Routing;
using NotifyHub.Storage;
using NotifyHub.Telemetry;

namespace NotifyHub.Delivery;

/// <summary>A notification as its recipient sees it: its status and receipt, and the recipient's projection of the incident.</summary>
public sealed record NotificationView(
    string NotificationId, string IncidentId, string RecipientId, string RecipientType, string? ForceCode, string? IncidentReference, string Status,
    string? Channel, int Attempts, IReadOnlyList<AttemptSummary> AttemptLog, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt,
    AcknowledgementView? Acknowledged, bool ContentPurged, JsonElement? Content, DateTimeOffset? DueAt = null, string Kind = DeliveryKinds.Incident,
    string? Answer = null);

public sealed record AcknowledgementView(string Name, string Role, DateTimeOffset At)
{
    public static AcknowledgementView? Of(Acknowledgement? a) => a is null ? null : new(a.Name, a.Role, a.At);
}

/// <summary>One line of a recipient's inbox.</summary>
/// <param name="Kind">What it is about (<see cref="DeliveryKinds"/>): an incident, a MASH's decision, a next step, a challenge or its response.</param>
public sealed record InboxItem(string NotificationId, string IncidentId, string RecipientType, string Rule, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt = null, string Kind = DeliveryKinds.Incident);

public sealed record InboxPage(IReadOnlyList<InboxItem> Items, string? ContinuationToken);

/// <summary>A recipient's notification as read or just changed: the delivery, its incident's ledger (with its content and attempts), and whether this call changed it.</summary>
/// <param name="LinkNonce">The nonce of the email link it was opened with: a change is refused once the link is revoked.</param>
public sealed record RecipientNotification(DeliveryRecord Record, IncidentLedger Ledger, bool Changed, string? LinkNonce = null);

/// <summary>
/// What a recipient does with its notifications — list, fetch, open, acknowledge — whichever way it came (API key or email
/// link). Each change is a decision (<see cref="DeliveryChanges"/>) committed to the incident's ledger by the one writer;
/// a request's change is noted first, so its views follow even if this process dies after the commit, and is answered as
/// stored once committed.
/// </summary>
public sealed class RecipientNotifications(LedgerStore ledger, LedgerWriter writer, TableServiceClient tables, HubMetrics metrics, TimeProvider time)
{
    private TableClient Inbox => tables.GetTableClient(StorageNames.RecipientDeliveriesTable);

    /// <summary>
    /// The notification if it exists and is addressed to <paramref name="organisationId"/> (and, for a link, still carries
    /// its nonce); null otherwise — another's is not found, never forbidden.
    /// </summary>
    public async Task<RecipientNotification?> FindAsync(string notificationId, string organisationId, string? linkNonce, CancellationToken ct)
    {
        if (!NotificationId.TryParse(notificationId, out var incidentId, out var recipientId) || DeliveryKey.OrganisationOf(recipientId) != organisationId) return null;
        var current = await ledger.LoadAsync(incidentId, LedgerParts.Content | LedgerParts.Attempts, [recipientId], ct);
        // A share held or withheld at the LA front door is not the recipient's to see.
        return current.Delivery(recipientId) is { WithRecipient: true } d && (linkNonce is null || d.LinkNonce == linkNonce) ? new(d, current, false, linkNonce) : null;
    }

    /// <summary>The recipient's own system fetched it with its API key: delivered, if it was not already.</summary>
    public Task<RecipientNotification?> RetrievedAsync(RecipientNotification found, CancellationToken ct) =>
        ChangeAsync(found, d => DeliveryChanges.Retrieve(d, time.GetUtcNow(), "fetched"), ct);

    /// <summary>A person asked to see it on the email link's page (a POST; the first opening is kept).</summary>
    public Task<RecipientNotification?> OpenedAsync(RecipientNotification found, CancellationToken ct) =>
        ChangeAsync(found, d => DeliveryChanges.Open(d, time.GetUtcNow()), ct);

    /// <summary>Records the acknowledgement; a second one changes nothing and the first stands (<see cref="RecipientNotification.Changed"/> says which).</summary>
    public Task<RecipientNotification?> AcknowledgeAsync(RecipientNotification found, AcknowledgedBy by, string how, CancellationToken ct) =>
        ChangeAsync(found, d => DeliveryChanges.Acknowledge(d, by, time.GetUtcNow(), how), ct);

    /// <summary>Revokes every email link sent for the delivery so far (a new nonce; later emails carry links with it).</summary>
    public Task<RecipientNotification?> RevokeLinksAsync(RecipientNotification found, CancellationToken ct) =>
        ChangeAsync(found, d => DeliveryChanges.RevokeLinks(d, LinkToken.NewNonce(), time.GetUtcNow()), ct);

    private async Task<RecipientNotification?> ChangeAsync(RecipientNotification found, Func<DeliveryRecord, Decision> decide, CancellationToken ct)
    {
        var (incidentId, recipientId) = (found.Record.IncidentId, found.Record.RecipientId);
        var committed = await writer.CommitAsync(found.Ledger, current =>
            current.Delivery(recipientId) is { } d && (found.LinkNonce is null || d.LinkNonce == found.LinkNonce) ? new LedgerWrite().Add(decide(d)) : null,
            LedgerWriter.Options.Request, () => ledger.LoadAsync(incidentId, LedgerParts.Content | LedgerParts.Attempts, [recipientId], ct), ct);
        await writer.ApplyAsync(committed, LedgerWriter.Options.Request, ct);
        if (committed.After.Delivery(recipientId) is not { } after) return null;
        var before = committed.Before.Delivery(recipientId);
        if (before is not null && before.Receipt.Status != after.Receipt.Status)
            metrics.Delivery(after.Receipt.Status, after.RecipientType, after.Receipt.Channels.Count > 0 ? after.Receipt.Channel : null);
        return new(after, committed.After, committed.Events.Count > 0, found.LinkNonce);
    }

    /// <summary>The recipient's view of the notification, from what was read with it (no further read).</summary>
    public static NotificationView View(RecipientNotification n)
    {
        var d = n.Record;
        var content = n.Ledger.Content.GetValueOrDefault(d.RecipientId);
        var attempts = n.Ledger.Attempts.Where(a => a.RecipientId == d.RecipientId).Select(AttemptSummary.Of).OrderBy(a => a.Number).ToList();
        return new NotificationView(d.NotificationId, d.IncidentId, d.OrganisationId, d.RecipientType, d.ForceCode, d.IncidentReference, d.Receipt.Status,
            d.Receipt.Channels.Count > 0 ? d.Receipt.Channel : null, d.Receipt.Attempts, attempts, d.CreatedAt, d.Receipt.DeliveredAt,
            AcknowledgementView.Of(d.Receipt.Acknowledged), content is null, content is null ? null : JsonDocument.Parse(content).RootElement.Clone(), d.DueAt, d.Kind,
            // A front-door review: what became of its share (released, withheld, or sent on without review).
            d.Kind == DeliveryKinds.RelayReview ? d.Answer : null);
    }

    /// <summary>The recipient's notifications (its inbox view), newest first; optionally one status and a window on when they were made.</summary>
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
                return new InboxItem(NotificationId.Format(incidentId, InboxKeys.RecipientKey(organisationId, row.RowKey)), incidentId,
                    row.GetString("RecipientType") ?? "", row.GetString("Rule") ?? "", row.GetString("Status") ?? DeliveryStatus.Pending,
                    row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("DueAt"), row.GetString("Kind") ?? DeliveryKinds.Incident);
            }).ToList();
            return new InboxPage(items, page.ContinuationToken is { } next ? ContinuationToken.Encode(next) : null);
        }
        return new InboxPage([], null);
    }
}
