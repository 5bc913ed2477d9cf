using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Storage;
using NotifyHub.Telemetry;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// Queue <c>escalations</c>: a late share, once. Sends the recipient a reminder (to its email: the channel's address or
/// its first contact's; with a fresh secure link when it has one) and alerts each partnership escalation contact for the
/// incident's LA and the recipient's type. Each email is recorded on the delivery row when sent (<c>ReminderSentAt</c>,
/// <c>AlertSentAt</c>), so a retried message sends only what is still unsent. An SMTP failure that may pass throws: the
/// host retries, then the message is poisoned and an operator replays it. Nothing is sent once the share is acknowledged.
/// </summary>
public sealed class EscalateLateShare(ReceiptStore receipts, RecipientCache recipients, PartnershipLeads leads, EmailSender email,
    TableServiceClient tables, IOptions<DeliveryOptions> delivery, HubMetrics metrics, TimeProvider time, ILogger<EscalateLateShare> logger)
{
    [Function(nameof(EscalateLateShare))]
    public async Task RunAsync([QueueTrigger(StorageNames.EscalationsQueue)] string message, long dequeueCount, CancellationToken ct)
    {
        EscalationMessage? queued;
        try { queued = JsonSerializer.Deserialize<EscalationMessage>(message, QueueJson.Options); }
        catch (JsonException) { queued = null; }
        if (queued is not { IncidentId.Length: > 0, RecipientId.Length: > 0 })
        {
            TimelinessLog.Unreadable(logger, dequeueCount);
            metrics.Poisoned(nameof(EscalateLateShare), "unreadable");
            return;
        }
        var record = await receipts.LoadAsync(queued.IncidentId, queued.RecipientId, ct);
        if (record?.DueAt is not { } dueAt || record.Receipt.Acknowledged is not null) return;
        var row = record.Row!;
        var table = tables.GetTableClient(StorageNames.DeliveriesTable);

        var reminder = row.GetString("ReminderOutcome") ?? "already-sent";
        if (row.GetDateTimeOffset("ReminderSentAt") is null)
        {
            var organisation = await recipients.GetAsync(record.RecipientId, ct);
            reminder = ChannelPlan.EmailAddress(organisation) is { } address
                ? Outcome(await email.SendAsync(EscalationEmails.Reminder(record, address, dueAt, Link(record)), ct))
                : "no-email-address";
            await table.UpdateEntityAsync(new TableEntity(record.IncidentId, record.RecipientId)
            {
                ["ReminderSentAt"] = time.GetUtcNow(),
                ["ReminderOutcome"] = reminder,
            }, ETag.All, TableUpdateMode.Merge, ct);
        }

        var alert = row.GetString("AlertOutcome") ?? "already-sent";
        if (row.GetDateTimeOffset("AlertSentAt") is null)
        {
            var la = row.GetString("La") ?? "";
            var contacts = (await leads.EscalationContactsAsync(la, record.RecipientType, ct)).ToList();
            var lateList = delivery.Value.PublicBaseUrl.TrimEnd('/') + "/api/reports/late";
            var sent = 0;
            foreach (var contact in contacts)
            {
                Outcome(await email.SendAsync(EscalationEmails.Alert(record, contact, la, dueAt, lateList), ct));
                sent++;
            }
            alert = sent == 0 ? "no-escalation-contact" : $"sent-to-{sent}";
            await table.UpdateEntityAsync(new TableEntity(record.IncidentId, record.RecipientId)
            {
                ["AlertSentAt"] = time.GetUtcNow(),
                ["AlertOutcome"] = alert,
            }, ETag.All, TableUpdateMode.Merge, ct);
        }
        TimelinessLog.Escalated(logger, record.NotificationId, reminder, alert);
    }

    /// <summary>A fresh secure link to the notification, when it has a link nonce (it has been attempted at least once).</summary>
    private string? Link(DeliveryRecord record)
    {
        if (record.LinkNonce is not { } nonce) return null;
        var o = delivery.Value;
        var token = LinkToken.Create(o.LinkSigningKeyBytes, new LinkGrant(record.NotificationId, nonce, time.GetUtcNow() + o.LinkValidFor));
        return o.PublicBaseUrl.TrimEnd('/') + "/api/links/" + token;
    }

    /// <summary>Sent, or refused for good (recorded); a failure that may pass throws, so the host tries the message again.</summary>
    private static string Outcome(SendResult result) => result.Outcome.Kind switch
    {
        OutcomeKind.Delivered => "sent",
        OutcomeKind.Permanent => "refused-" + result.Outcome.ErrorClass,
        _ => throw new InvalidOperationException($"The escalation email could not be sent yet ({result.Outcome.ErrorClass}); the message will be retried."),
    };
}
