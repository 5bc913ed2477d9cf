using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Storage;
using NotifyHub.Telemetry;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// Queue <c>escalations</c>: a late share. Sends the recipient a reminder (to its email: the channel's address or its first
/// contact's; with a fresh secure link when it has one) and alerts each partnership escalation contact for the incident's LA
/// and the recipient's type. It first claims the share's escalation on its ledger (<c>escalation.started</c>), so two copies
/// of the message, or two instances, never send at once; then each email is recorded as it goes (<c>escalation.reminder-sent</c>,
/// <c>escalation.alert-sent</c>, one per contact), so a retry sends only what is still unsent — and an email whose sending
/// was not recorded (its process died) goes again with the same Message-ID. An SMTP failure that may pass throws: the host
/// retries once the claim lapses, then the message is poisoned and an operator replays it. Nothing is sent once the share
/// is acknowledged.
/// </summary>
public sealed class EscalateLateShare(LedgerStore ledger, LedgerWriter writer, RecipientCache recipients, PartnershipLeads leads, DashboardLinks links,
    EmailSender email, QueueServiceClient queues, IOptions<DeliveryOptions> delivery, HubMetrics metrics, TimeProvider time, ILogger<EscalateLateShare> logger)
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
        var (incidentId, recipientId) = (queued.IncidentId, queued.RecipientId);
        Task<IncidentLedger> Reload() => ledger.LoadAsync(incidentId, LedgerParts.None, null, ct);
        var current = await Reload();
        if (current.Delivery(recipientId) is not { DueAt: { } dueAt, LateAt: not null, Receipt.Acknowledged: null } late)
        {
            await writer.ApplyAsync(new Committed(current, current, []), LedgerWriter.Options.Retried, ct);
            return;
        }

        // Who is to hear of it (read before anything is claimed: a failure here is the hub's, and the host retries).
        var organisation = await recipients.GetAsync(late.OrganisationId, ct);
        var address = ChannelPlan.EmailAddress(organisation, late.Kind);
        var la = current.Facts?.La ?? "";
        // An invitation unanswered by its time is a reminder to its invitee only: the partnership hears of the discussion itself.
        var contacts = late.Kind == DeliveryKinds.Invitation ? []
            : await leads.EscalationContactsAsync(la, late.RecipientType, delivery.Value.LinkSigningKeyBytes, ct);
        if (!Pending(late, contacts))
        {
            await writer.ApplyAsync(new Committed(current, current, []), LedgerWriter.Options.Retried, ct);
            return;
        }

        var claim = await writer.CommitAsync(current, c => c.Delivery(recipientId) is { } d && Pending(d, contacts)
            ? new LedgerWrite().Add(DeliveryChanges.StartEscalation(d, time.GetUtcNow(), delivery.Value.ClaimFor)) : null,
            LedgerWriter.Options.Retried, Reload, ct);
        if (claim.Events.Count == 0)
        {
            if (claim.After.Delivery(recipientId) is { EscalatingUntil: { } until } held && until > time.GetUtcNow() && Pending(held, contacts))
            {
                // Another escalation of it holds it and may yet die: come back when its claim lapses.
                await queues.GetQueueClient(StorageNames.EscalationsQueue).SendAsync(queued, ct, until - time.GetUtcNow() + TimeSpan.FromSeconds(1));
            }
            await writer.ApplyAsync(claim, LedgerWriter.Options.Retried, ct);
            return;
        }

        var all = claim;
        var escalating = claim.After.Delivery(recipientId)!;
        async Task RecordAsync(string to, string outcome)
        {
            var recorded = await writer.CommitAsync(all.After, c => c.Delivery(recipientId) is { } d
                ? new LedgerWrite().Add(DeliveryChanges.Escalated(d, to, outcome, time.GetUtcNow())) : null, LedgerWriter.Options.Retried, Reload, ct);
            all = LedgerWriter.Combine(all, recorded);
        }

        if (!escalating.Escalated(EscalationTargets.Recipient))
        {
            // A share still held at the LA front door has not reached its recipient: there is nothing to remind it of.
            var outcome = escalating.IsHeld ? "held-at-front-door"
                : address is null
                ? "no-email-address"
                : Outcome(await email.SendAsync(EscalationEmails.Reminder(escalating, address, dueAt, Link(escalating)) with
                {
                    MessageId = LinkEmails.MessageId(escalating.NotificationId, "reminder", delivery.Value.PublicBaseUrl),
                }, ct), escalating, EscalationTargets.Recipient);
            await RecordAsync(EscalationTargets.Recipient, outcome);
        }
        foreach (var contact in contacts.Where(c => !escalating.Escalated(c.Key)))
        {
            // The lead's late list opens from the email with a dashboard link of the contact's partnership: no API key in a browser.
            var (dashboard, expires) = await links.CreateAsync(contact.LeadId, ct);
            var outcome = Outcome(await email.SendAsync(EscalationEmails.Alert(escalating, contact.Email, la, dueAt, DashboardLinks.LateShares(dashboard), expires) with
            {
                MessageId = LinkEmails.MessageId(escalating.NotificationId, "alert-" + contact.Key.Replace('#', '-'), delivery.Value.PublicBaseUrl),
            }, ct), escalating, contact.Key);
            await RecordAsync(contact.Key, outcome);
        }
        await writer.ApplyAsync(all, LedgerWriter.Options.Retried, ct);
        var final = all.After.Delivery(recipientId)!;
        TimelinessLog.Escalated(logger, final.NotificationId, final.Escalations.FirstOrDefault(e => e.To == EscalationTargets.Recipient)?.Outcome ?? "none",
            contacts.Count == 0 ? "no-escalation-contact" : $"sent-to-{final.Escalations.Count(e => e.To != EscalationTargets.Recipient)}");
    }

    /// <summary>Whether anything is still to be sent: the reminder, or an alert to one of the contacts.</summary>
    private static bool Pending(DeliveryRecord d, IReadOnlyList<EscalationContact> contacts) =>
        d.LateAt is not null && d.Receipt.Acknowledged is null && (!d.Escalated(EscalationTargets.Recipient) || contacts.Any(c => !d.Escalated(c.Key)));

    /// <summary>A fresh secure link to the notification and when it expires, when it has a link nonce (it has been attempted at least once).</summary>
    private (string Url, DateTimeOffset ExpiresAt)? Link(DeliveryRecord record)
    {
        if (record.LinkNonce is not { } nonce) return null;
        var o = delivery.Value;
        var expires = time.GetUtcNow() + o.LinkValidFor;
        var token = LinkToken.Create(o.LinkSigningKeyBytes, new LinkGrant(record.NotificationId, nonce, expires));
        return (o.PublicBaseUrl.TrimEnd('/') + "/api/links/" + token, expires);
    }

    /// <summary>Sent, or refused for good (recorded); a failure that may pass throws, so the host tries the message again.</summary>
    private string Outcome(SendResult result, DeliveryRecord d, string to)
    {
        switch (result.Outcome.Kind)
        {
            case OutcomeKind.Delivered: return "sent";
            case OutcomeKind.Permanent: return "refused-" + result.Outcome.ErrorClass;
            default:
                TimelinessLog.EscalationDeferred(logger, d.NotificationId, to, result.Outcome.ErrorClass);
                throw new InvalidOperationException($"The escalation email could not be sent yet ({result.Outcome.ErrorClass}); the message will be retried.");
        }
    }
}
