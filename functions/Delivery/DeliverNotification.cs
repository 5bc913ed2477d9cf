using System.Diagnostics;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Ledger;
using NotifyHub.Storage;
using NotifyHub.Telemetry;

namespace NotifyHub.Functions;

/// <summary>
/// Queue <c>deliveries</c>: makes one attempt at each delivery the message names, and schedules the next. Routing's apply
/// sends one message for an incident's first attempts (<see cref="DeliveryMessage.RecipientIds"/>); every later attempt
/// has a message of its own.
/// <para>
/// It does nothing for a delivery already final, or for a message that is not the delivery's current one (each message
/// carries the delivery's sequence number); one that comes early, or while an attempt holds the delivery, is queued again
/// for later. The rest are claimed in one commit to the incident's ledger (<c>attempt.started</c>: so two copies of a
/// message, or two instances, never send at once; a claim whose attempt never ended is taken again for that same attempt,
/// which then goes with the same ids). Everything the sends need is read before the claim, so what happens after it is the
/// channel's: any answer, timeout or exception is that attempt's outcome (<see cref="Receipt"/>), recorded with the
/// receipt it moves — retried on the schedule, then the fallback channel — never a poisoned message. The ends are
/// committed as they come (those that end together, together), then applied once: the views, and the next attempts'
/// messages (the outbox). A crash at any point leaves a claim that lapses, a message the host retries, or events that
/// <c>ProjectLedger</c> or the next writer applies.
/// </para>
/// </summary>
public sealed class DeliverNotification(
    LedgerStore ledger, LedgerWriter writer, Dispatcher dispatch, RecipientCache recipients, WebhookEndpointStore endpoints, WebhookSender webhooks,
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
        var incidentId = queued.IncidentId;
        var wanted = queued.Recipients();
        Task<IncidentLedger> Reload() => ledger.LoadAsync(incidentId, LedgerParts.Content, wanted, ct);
        var loaded = await Reload();
        if (!loaded.Exists)
        {
            DeliveryLog.Unknown(logger, incidentId, string.Join(',', wanted));
            return;
        }

        // What each send needs from storage is read now, before anything is claimed: a failure here is the hub's, and the
        // host retries the message; once claimed, whatever happens belongs to the attempt.
        var prepared = new Dictionary<string, Prepared>(StringComparer.Ordinal);
        foreach (var recipientId in wanted)
        {
            if (loaded.Delivery(recipientId) is not { } d || !Due(d, queued.Sequence)) continue;
            var organisation = await recipients.GetAsync(d.OrganisationId, ct);
            var endpoint = organisation?.Channel?.Kind == DeliveryChannels.Webhook ? await endpoints.ForSendingAsync(d.OrganisationId, time.GetUtcNow(), ct) : null;
            prepared[recipientId] = new Prepared(organisation, endpoint);
        }

        var deferred = new List<(DeliveryRecord Delivery, TimeSpan Wait)>();
        var claims = await writer.CommitAsync(loaded, current =>
        {
            deferred.Clear();
            var now = time.GetUtcNow();
            var write = new LedgerWrite();
            foreach (var recipientId in wanted)
            {
                if (current.Delivery(recipientId) is not { } d)
                {
                    DeliveryLog.Unknown(logger, incidentId, recipientId);
                    continue;
                }
                if (!Due(d, queued.Sequence) || !prepared.TryGetValue(recipientId, out var p))
                {
                    DeliveryLog.NothingToDo(logger, d.NotificationId, d.Receipt.Status, queued.Sequence, d.Sequence);
                    continue;
                }
                var wait = Later(d.ClaimedUntil, d.Receipt.NextAttemptAt) - now;
                if (wait > TimeSpan.Zero)
                {
                    deferred.Add((d, wait)); // claimed by an attempt that may yet die, or early: come back when it is this message's turn
                    continue;
                }
                write.Add(DeliveryChanges.Claim(d, ChannelPlan.For(p.Organisation, d.Kind), now, options.Value.ClaimFor, LinkToken.NewNonce()));
            }
            return write;
        }, LedgerWriter.Options.Retried, Reload, ct);

        foreach (var (d, wait) in deferred)
        {
            await dispatch.DeferAsync(d, wait, ct);
            DeliveryLog.Deferred(logger, d.NotificationId, wait);
        }

        var claimed = claims.Events.Where(e => e.Event.Type == Domain.Ledger.LedgerEventTypes.AttemptStarted).Select(e => e.Event.Subject!).Distinct().ToList();
        var ends = new AttemptEnds(writer, claims.After, Reload, (current, batch) => EndAll(current, batch), ct);
        await Task.WhenAll(claimed.Select(r => AttemptAsync(claims.After.Delivery(r)!, claims.After.Content.GetValueOrDefault(r), prepared[r], ends, ct)));
        await writer.ApplyAsync(ends.Committed is { } ended ? LedgerWriter.Combine(claims, ended) : claims, LedgerWriter.Options.Retried, ct);
    }

    /// <summary>Whether the message is for the delivery's current attempt: not final, an attempt scheduled, and the message's sequence number the delivery's.</summary>
    private static bool Due(DeliveryRecord d, int sequence) =>
        !DeliveryStatus.IsFinal(d.Receipt.Status) && d.Receipt.NextAttemptAt is not null && d.Sequence == sequence;

    private sealed record Prepared(Organisation? Organisation, WebhookEndpoint? Endpoint);

    /// <summary>One claimed attempt: send on the channel in use, then end it (its commit may be shared with others ending at the same time).</summary>
    private async Task AttemptAsync(DeliveryRecord claimed, byte[]? content, Prepared prepared, AttemptEnds ends, CancellationToken ct)
    {
        using var span = HubTelemetry.Source.StartActivity("Deliver", ActivityKind.Internal, default(ActivityContext),
            [new("notifyhub.notification_id", claimed.NotificationId)]);
        var channel = claimed.Receipt.Channel;
        var attemptNumber = claimed.OpenAttempt!.Value;
        var startedAt = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        SendResult result;
        try
        {
            result = await SendAsync(claimed, attemptNumber, content, prepared, channel, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Whatever a channel throws is this attempt's outcome — an address its library cannot parse, a bug in a
            // receiver's answer — recorded and moved past (the fallback channel), never a poisoned message.
            DeliveryLog.ChannelThrew(logger, e.GetType().Name, claimed.NotificationId, channel);
            result = new SendResult(AttemptOutcome.Permanent("channel-exception-" + e.GetType().Name));
        }
        clock.Stop();
        var attempt = new AttemptResult(attemptNumber, channel, startedAt, clock.ElapsedMilliseconds, result.Outcome, result.HttpStatus, result.SmtpReply,
            result.Response);
        if (channel == DeliveryChannels.Webhook && result.HttpStatus == 410)
        {
            await endpoints.DisableAsync(claimed.OrganisationId, "the receiver answered 410 Gone", ct);
        }
        var ended = await ends.EndAsync(claimed.RecipientId, attempt);
        var saved = ended.Delivery(claimed.RecipientId);
        if (saved?.Receipt.Status is DeliveryStatus.Delivered or DeliveryStatus.Failed && saved.Receipt.Status != claimed.Receipt.Status)
            metrics.Delivery(saved.Receipt.Status, saved.RecipientType, channel);
        span?.SetTag("notifyhub.channel", channel);
        span?.SetTag("notifyhub.outcome", attempt.OutcomeName);
        DeliveryLog.Attempted(logger, claimed.NotificationId, attemptNumber, channel, attempt.OutcomeName, result.Outcome.ErrorClass,
            saved?.Receipt.Status ?? "changed-elsewhere");
    }

    /// <summary>The ends of a batch of attempts, as one write: each moves its delivery on and records the attempt (an attempt already ended changes nothing).</summary>
    private LedgerWrite EndAll(IncidentLedger current, IReadOnlyList<(string RecipientId, AttemptResult Attempt)> batch)
    {
        var now = time.GetUtcNow();
        var write = new LedgerWrite();
        foreach (var (recipientId, attempt) in batch)
        {
            if (current.Delivery(recipientId) is not { } d) continue;
            var decision = DeliveryChanges.EndAttempt(d, attempt, now, options.Value.Schedule, timeliness.Value.FallbackLead);
            if (!decision.Changed) continue;
            write.Add(decision);
            write.Attempts.Add((recipientId, attempt));
        }
        return write;
    }

    private async Task<SendResult> SendAsync(DeliveryRecord delivery, int attempt, byte[]? content, Prepared prepared, string channel, CancellationToken ct)
    {
        if (prepared.Organisation is not { Active: true } organisation) return new(AttemptOutcome.Permanent("recipient-inactive"));
        switch (channel)
        {
            case DeliveryChannels.Inbox:
                return new(AttemptOutcome.Available);
            case DeliveryChannels.Webhook:
            {
                if (prepared.Endpoint is { Disabled: true }) return new(AttemptOutcome.Permanent("endpoint-disabled"));
                if (organisation.Channel?.Url is not { } url) return new(AttemptOutcome.Permanent("no-webhook-url"));
                if (content is null) return new(AttemptOutcome.Permanent("content-purged"));
                var body = NotificationPayload.For(delivery, content, options.Value.PublicBaseUrl).ToJson();
                return await webhooks.SendAsync(url, delivery.NotificationId, body, prepared.Endpoint?.Secrets ?? [], ct);
            }
            case DeliveryChannels.Email:
            {
                if (ChannelPlan.EmailAddress(organisation, delivery.Kind) is not { } address) return new(AttemptOutcome.Permanent("no-email-address"));
                var expires = time.GetUtcNow() + options.Value.LinkValidFor;
                var token = LinkToken.Create(options.Value.LinkSigningKeyBytes, new LinkGrant(delivery.NotificationId, delivery.LinkNonce!, expires));
                var link = options.Value.PublicBaseUrl.TrimEnd('/') + "/api/links/" + token;
                // The same attempt always goes with the same Message-ID: sent again after a crash, it is the same email.
                var messageId = LinkEmails.MessageId(delivery.NotificationId, $"a{attempt}", options.Value.PublicBaseUrl);
                return await email.SendAsync(LinkEmails.Build(delivery, address, link, expires) with { MessageId = messageId }, ct);
            }
            default:
                return new(AttemptOutcome.Permanent("unknown-channel"));
        }
    }

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset? b) =>
        (a ?? DateTimeOffset.MinValue) > (b ?? DateTimeOffset.MinValue) ? a ?? DateTimeOffset.MinValue : b ?? DateTimeOffset.MinValue;

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

    /// <summary>
    /// Ends attempts as they finish: the first to finish commits at once, and those that finish while a commit is under
    /// way go together in the next — so three sends that end at the same moment cost one or two commits, not three.
    /// </summary>
    private sealed class AttemptEnds(LedgerWriter writer, IncidentLedger start, Func<Task<IncidentLedger>> reload,
        Func<IncidentLedger, IReadOnlyList<(string, AttemptResult)>, LedgerWrite> decide, CancellationToken ct)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly List<(string RecipientId, AttemptResult Attempt, TaskCompletionSource<IncidentLedger> Done)> _pending = [];
        private IncidentLedger _current = start;

        public Committed? Committed { get; private set; }

        public async Task<IncidentLedger> EndAsync(string recipientId, AttemptResult attempt)
        {
            var done = new TaskCompletionSource<IncidentLedger>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_pending) _pending.Add((recipientId, attempt, done));
            await _gate.WaitAsync(ct);
            try
            {
                List<(string RecipientId, AttemptResult Attempt, TaskCompletionSource<IncidentLedger> Done)> batch;
                lock (_pending)
                {
                    batch = [.. _pending];
                    _pending.Clear();
                }
                if (batch.Count > 0)
                {
                    try
                    {
                        var committed = await writer.CommitAsync(_current, current => decide(current, batch.Select(b => (b.RecipientId, b.Attempt)).ToList()),
                            LedgerWriter.Options.Retried, reload, ct);
                        _current = committed.After;
                        Committed = Committed is null ? committed : LedgerWriter.Combine(Committed, committed);
                        foreach (var b in batch) b.Done.TrySetResult(_current);
                    }
                    catch (Exception e)
                    {
                        foreach (var b in batch) b.Done.TrySetException(e);
                    }
                }
            }
            finally
            {
                _gate.Release();
            }
            return await done.Task;
        }
    }
}
