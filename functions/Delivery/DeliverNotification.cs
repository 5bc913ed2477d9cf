using System.Diagnostics;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Organisations;
using NotifyHub.Routing;
using NotifyHub.Storage;
using NotifyHub.Telemetry;

namespace NotifyHub.Functions;

/// <summary>
/// Queue <c>deliveries</c>: makes one attempt to deliver one notification, and schedules the next. Routing sends one
/// message for an incident's first attempts (<see cref="DeliveryMessage.RecipientIds"/>); every later attempt has a
/// message of its own.
/// <para>
/// It does nothing for a delivery already final, or for a message that is not the delivery's current one (each
/// message carries the delivery's sequence number). It claims the delivery (ETag-conditional, starting attempt
/// N), so two copies of a message or two instances never send at once; sends on the channel in use; appends
/// attempt N to the log and moves the receipt (<see cref="Receipt"/>) in one transaction; and, when another attempt
/// is due, that save carries the next sequence number <em>before</em> the message is queued with its delay and no expiry.
/// A crash at any point leaves either a message that will find the delivery (its claim lapses and the message is
/// re-queued until then) or a delivery whose next attempt is overdue, which reconciliation re-queues.
/// </para>
/// </summary>
public sealed class DeliverNotification(
    ReceiptStore receipts, Timeliness.RollupStore rollups, RecipientCache recipients, WebhookEndpointStore endpoints, WebhookSender webhooks,
    EmailSender email, IOptions<DeliveryOptions> options, IOptions<Timeliness.TimelinessOptions> timeliness, HubMetrics metrics, TimeProvider time,
    ILogger<DeliverNotification> logger)
{
    [Function(nameof(DeliverNotification))]
    public async Task RunAsync([QueueTrigger(StorageNames.DeliveriesQueue)] string message, long dequeueCount, CancellationToken ct)
    {
        if (Read(message) is not { } queued)
        {
            DeliveryLog.Unreadable(logger, dequeueCount);
            metrics.Poisoned(nameof(DeliverNotification), "unreadable");
            return;
        }
        // An incident's first attempts travel in one message: each runs on its own (its own claim, attempt record and
        // next message), all at once. If any fails the message is retried; the others find nothing to do then. Their
        // timeliness facts share a rollup cell, so they are recorded together once all have ended.
        var facts = new ShareFactSink();
        try
        {
            await Task.WhenAll(queued.Recipients().Select(recipientId => AttemptAsync(queued.IncidentId, recipientId, queued.Sequence, facts, ct)));
        }
        finally
        {
            await facts.RecordAsync(rollups, ct);
        }
    }

    /// <summary>One attempt at one delivery, if the message's sequence number is still the delivery's current one.</summary>
    private async Task AttemptAsync(string incidentId, string recipientId, int sequence, ShareFactSink facts, CancellationToken ct)
    {
        using var span = HubTelemetry.Source.StartActivity("Deliver", ActivityKind.Internal, default(ActivityContext),
            [new("notifyhub.notification_id", NotificationId.Format(incidentId, recipientId))]);
        var record = await receipts.LoadAsync(incidentId, recipientId, ct);
        if (record is null)
        {
            DeliveryLog.Unknown(logger, incidentId, recipientId);
            return;
        }
        if (DeliveryStatus.IsFinal(record.Receipt.Status) || record.Receipt.NextAttemptAt is null || sequence != record.Sequence)
        {
            DeliveryLog.NothingToDo(logger, record.NotificationId, record.Receipt.Status, sequence, record.Sequence);
            return;
        }
        var now = time.GetUtcNow();
        var wait = Later(record.ClaimedUntil, record.Receipt.NextAttemptAt) - now;
        if (wait > TimeSpan.Zero)
        {
            // Claimed by an attempt that may yet die, or early: come back when it is this message's turn.
            await receipts.EnqueueAsync(record, wait, ct);
            DeliveryLog.Deferred(logger, record.NotificationId, wait);
            return;
        }

        var organisation = await recipients.GetAsync(record.RecipientId, ct);
        var receipt = record.Receipt.Channels.Count == 0 ? record.Receipt with { Channels = ChannelPlan.For(organisation) } : record.Receipt;
        var started = Receipt.AttemptStarted(receipt);
        if (!started.Changed) return;
        var claimed = await receipts.TryClaimAsync(record with
        {
            Receipt = started.State,
            ClaimedUntil = now + options.Value.ClaimFor,
            LinkNonce = record.LinkNonce ?? LinkToken.NewNonce(),
        }, ct);
        if (claimed is null)
        {
            DeliveryLog.ClaimLost(logger, record.NotificationId);
            return;
        }

        var channel = claimed.Receipt.Channel;
        var startedAt = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        SendResult result;
        try
        {
            result = await SendAsync(claimed, organisation, channel, ct);
        }
        catch
        {
            await ReleaseAsync(claimed);
            throw;
        }
        clock.Stop();
        var attempt = new AttemptRecord(claimed.Receipt.Attempts, channel, startedAt, clock.ElapsedMilliseconds, OutcomeName(result.Outcome),
            result.HttpStatus, result.SmtpReply, result.Outcome.ErrorClass, result.Response);
        if (channel == DeliveryChannels.Webhook && result.HttpStatus == 410)
        {
            await endpoints.DisableAsync(claimed.RecipientId, "the receiver answered 410 Gone", ct);
        }

        var saved = await EndAttemptAsync(claimed, result.Outcome, attempt, facts, ct);
        if (saved?.Receipt.NextAttemptAt is { } next)
        {
            await receipts.EnqueueAsync(saved, next - time.GetUtcNow(), ct);
        }
        span?.SetTag("notifyhub.channel", channel);
        span?.SetTag("notifyhub.outcome", OutcomeName(result.Outcome));
        DeliveryLog.Attempted(logger, claimed.NotificationId, claimed.Receipt.Attempts, channel, OutcomeName(result.Outcome), result.Outcome.ErrorClass,
            saved?.Receipt.Status ?? "changed-elsewhere");
    }

    /// <summary>
    /// Moves the receipt on from the attempt's outcome, writing the attempt's record with it. If something else changed
    /// the delivery meanwhile (an acknowledgement, a fetch from the inbox), the outcome is applied to what is stored now;
    /// if that leaves nothing to move (acknowledged meanwhile), the attempt is recorded on its own.
    /// </summary>
    private async Task<DeliveryRecord?> EndAttemptAsync(DeliveryRecord claimed, AttemptOutcome outcome, AttemptRecord attempt, ShareFactSink facts,
        CancellationToken ct)
    {
        var current = claimed;
        for (var tries = 0; tries < 10; tries++)
        {
            var now = time.GetUtcNow();
            var ended = Receipt.AttemptEnded(current.Receipt, outcome, now, options.Value.Schedule);
            var state = DeadlineAwareRetry.Bend(ended.State, current.DueAt, timeliness.Value.FallbackLead, now);
            var next = current with
            {
                Receipt = state,
                ClaimedUntil = null,
                Sequence = state.NextAttemptAt is null ? current.Sequence : current.Sequence + 1,
            };
            if (await receipts.TrySaveAsync(next, ct, attempt, facts) is { } saved)
            {
                if (saved.Receipt.Status is DeliveryStatus.Delivered or DeliveryStatus.Failed) metrics.Delivery(saved.Receipt.Status, saved.RecipientType, attempt.Channel);
                return saved;
            }
            current = await receipts.LoadAsync(claimed.IncidentId, claimed.RecipientId, ct);
            if (current is null) return null;
            if (current.Receipt.Status != DeliveryStatus.Sending)
            {
                // Acknowledged or fetched while this attempt ran: keep the receipt as it is, record the attempt, release the claim.
                return await receipts.TrySaveAsync(current with { ClaimedUntil = null }, ct, attempt, facts) ?? current;
            }
        }
        throw new InvalidOperationException($"Delivery {claimed.NotificationId} kept changing while its attempt ended.");
    }

    private async Task<SendResult> SendAsync(DeliveryRecord delivery, Organisation? organisation, string channel, CancellationToken ct)
    {
        if (organisation is not { Active: true }) return new(AttemptOutcome.Permanent("recipient-inactive"));
        switch (channel)
        {
            case DeliveryChannels.Inbox:
                return new(AttemptOutcome.Available);
            case DeliveryChannels.Webhook:
            {
                var endpoint = await endpoints.ForSendingAsync(organisation.Id, time.GetUtcNow(), ct);
                if (endpoint is { Disabled: true }) return new(AttemptOutcome.Permanent("endpoint-disabled"));
                if (organisation.Channel?.Url is not { } url) return new(AttemptOutcome.Permanent("no-webhook-url"));
                if (ReceiptStore.Content(delivery) is not { } content) return new(AttemptOutcome.Permanent("content-purged"));
                var body = NotificationPayload.For(delivery, content, options.Value.PublicBaseUrl).ToJson();
                return await webhooks.SendAsync(url, delivery.NotificationId, body, endpoint?.Secrets ?? [], ct);
            }
            case DeliveryChannels.Email:
            {
                if (ChannelPlan.EmailAddress(organisation) is not { } address) return new(AttemptOutcome.Permanent("no-email-address"));
                var expires = time.GetUtcNow() + options.Value.LinkValidFor;
                var token = LinkToken.Create(options.Value.LinkSigningKeyBytes, new LinkGrant(delivery.NotificationId, delivery.LinkNonce!, expires));
                var link = options.Value.PublicBaseUrl.TrimEnd('/') + "/api/links/" + token;
                return await email.SendAsync(LinkEmails.Build(delivery, address, link, expires), ct);
            }
            default:
                return new(AttemptOutcome.Permanent("unknown-channel"));
        }
    }

    /// <summary>Gives the claim back after a storage failure, so the host's retry of this message can start again at once.</summary>
    private async Task ReleaseAsync(DeliveryRecord claimed)
    {
        try { await receipts.TrySaveAsync(claimed with { ClaimedUntil = null }, CancellationToken.None); }
        catch (Exception) { /* the claim lapses by itself */ }
    }

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset? b) =>
        (a ?? DateTimeOffset.MinValue) > (b ?? DateTimeOffset.MinValue) ? a ?? DateTimeOffset.MinValue : b ?? DateTimeOffset.MinValue;

    private static string OutcomeName(AttemptOutcome outcome) => outcome switch
    {
        { Kind: OutcomeKind.Delivered, WaitForPull: true } => "available-in-inbox",
        { Kind: OutcomeKind.Delivered } => "delivered",
        { Kind: OutcomeKind.Permanent } => "permanent-failure",
        _ => "failed",
    };

    private static DeliveryMessage? Read(string text)
    {
        try
        {
            var queued = JsonSerializer.Deserialize<DeliveryMessage>(text, QueueJson.Options);
            return queued is { IncidentId.Length: > 0, Sequence: >= 0 } && queued.IsWellFormed() ? queued : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
