using System.Globalization;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Routing;
using NotifyHub.Storage;

namespace NotifyHub.Delivery;

/// <summary>One delivery as stored: who it is for, its receipt, and the bookkeeping that keeps sending safe.</summary>
/// <param name="Sequence">Which queue message is current: a message carrying another number is stale and is dropped.</param>
/// <param name="ClaimedUntil">An attempt in progress holds the delivery until then.</param>
/// <param name="LinkNonce">Binds email links to this delivery; a new nonce revokes every link sent so far.</param>
public sealed record DeliveryRecord(
    string IncidentId, string RecipientId, string RecipientType, string RecipientName, string? ForceCode, string? IncidentReference,
    DateTimeOffset CreatedAt, ReceiptState Receipt, int Sequence, DateTimeOffset? ClaimedUntil, string? LinkNonce, DateTimeOffset? FirstOpenedAt,
    bool ContentPurged, ETag ETag)
{
    /// <summary>When the delivery is due (null for one routed before due times were recorded).</summary>
    public DateTimeOffset? DueAt => Row?.GetDateTimeOffset("DueAt");

    /// <summary>When SlaMonitor found it late (not acknowledged by its due time).</summary>
    public DateTimeOffset? LateAt => Row?.GetDateTimeOffset("LateAt");

    public string NotificationId => Delivery.NotificationId.Format(IncidentId, RecipientId);

    /// <summary>The whole row as read: the stored content travels with it, so an attempt needs no second read.</summary>
    internal TableEntity? Row { get; init; }

    /// <summary>The status as read, or as last saved with the inbox row following it (a claim's save is not followed).</summary>
    public string StoredStatus { get; init; } = DeliveryStatus.Pending;
}

/// <summary>
/// Timeliness facts gathered from several receipt saves, to be recorded together: the deliveries of one incident share a
/// rollup cell, so their facts cost one conditional write instead of one each (and never conflict with each other).
/// </summary>
public sealed class ShareFactSink
{
    private readonly List<ShareFact> _facts = [];

    public void Add(ShareFact fact)
    {
        lock (_facts) _facts.Add(fact);
    }

    /// <summary>Records what was gathered (each LA and day in one write) and empties the sink.</summary>
    public async Task RecordAsync(Timeliness.RollupStore rollups, CancellationToken cancellationToken)
    {
        ShareFact[] facts;
        lock (_facts)
        {
            facts = [.. _facts];
            _facts.Clear();
        }
        if (facts.Length > 0) await rollups.RecordAsync(facts, cancellationToken);
    }
}

/// <summary>One attempt, as appended to the attempt log: never the payload, at most 1 KB of the response.</summary>
public sealed record AttemptRecord(
    int Number, string Channel, DateTimeOffset StartedAt, long DurationMs, string Outcome, int? HttpStatus, string? SmtpReply,
    string? ErrorClass, string? Response);

/// <summary>
/// The message on the <c>deliveries</c> queue: keys and the sequence number only. It names one delivery
/// (<paramref name="RecipientId"/>), or — for an incident's first attempts, sent by routing — several
/// (<paramref name="RecipientIds"/>, at most <see cref="MaxRecipients"/>), so one message and one invocation start
/// them all instead of one per recipient.
/// </summary>
public sealed record DeliveryMessage(
    string IncidentId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RecipientId = null,
    int Sequence = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? RecipientIds = null)
{
    public const int MaxRecipients = 32;

    /// <summary>An incident's first attempts, to these recipients.</summary>
    public static DeliveryMessage FirstAttempts(string incidentId, IReadOnlyList<string> recipientIds) =>
        recipientIds.Count == 1 ? new(incidentId, recipientIds[0]) : new(incidentId, RecipientIds: recipientIds);

    /// <summary>The recipients this message is for.</summary>
    public IReadOnlyList<string> Recipients() => RecipientIds ?? (RecipientId is null ? [] : [RecipientId]);

    /// <summary>Names one recipient or a list of distinct ones (not both, not none, none empty).</summary>
    public bool IsWellFormed() => (RecipientId, RecipientIds) switch
    {
        ({ Length: > 0 }, null) => true,
        (null, { Count: > 0 and <= MaxRecipients } ids) => ids.All(id => !string.IsNullOrEmpty(id)) && ids.Distinct(StringComparer.Ordinal).Count() == ids.Count,
        _ => false,
    };
}

/// <summary>
/// The receipt side of the <c>Deliveries</c> table (rows written by routing): every change is ETag-conditional, so
/// two attempts never both move a receipt. Each attempt's record is a row beside its delivery, written in the same
/// transaction as the receipt it moves: the append-only attempt log. <c>OpenDeliveries</c> lists the deliveries not yet final, so
/// reconciliation finds a delivery whose message was lost without scanning every delivery ever made.
/// <c>RecipientDeliveries</c> mirrors each status for the recipient's inbox list. Partition <c>failed</c> of
/// <c>OpenDeliveries</c> lists the failed deliveries (missing shares) for health.
/// </summary>
public sealed class ReceiptStore(TableServiceClient tables, QueueServiceClient queues, Timeliness.RollupStore rollups, Timeliness.SlaStore sla)
{
    public const int MaxResponseBytes = 1024;
    private const string OpenPartition = "open";
    private const string FailedPartition = "failed";

    private TableClient Deliveries => tables.GetTableClient(StorageNames.DeliveriesTable);
    private TableClient Open => tables.GetTableClient(StorageNames.OpenDeliveriesTable);
    private TableClient ByRecipient => tables.GetTableClient(StorageNames.RecipientDeliveriesTable);
    private QueueClient Queue => queues.GetQueueClient(StorageNames.DeliveriesQueue);

    public async Task<DeliveryRecord?> LoadAsync(string incidentId, string recipientId, CancellationToken cancellationToken)
    {
        var row = await Deliveries.GetEntityIfExistsAsync<TableEntity>(incidentId, recipientId, cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    /// <summary>
    /// Writes a new receipt (and sequence, claim, link nonce) if the delivery has not changed since it was read: a
    /// merge of those fields only, so the stored content is neither sent again nor touched. Null when another attempt
    /// or request changed it first: read again and decide again.
    /// </summary>
    /// <param name="facts">
    /// Where the delivery's new timeliness fact goes, when the caller writes the facts of several saves at once
    /// (<see cref="Timeliness.RollupStore.RecordAsync"/>); without it the fact is recorded here, after the save.
    /// </param>
    public Task<DeliveryRecord?> TrySaveAsync(DeliveryRecord record, CancellationToken cancellationToken, AttemptRecord? attempt = null,
        ShareFactSink? facts = null) =>
        SaveAsync(record, attempt, follow: true, facts, cancellationToken);

    /// <summary>
    /// Claims the delivery for an attempt: the same conditional save, but nothing follows it — a claim only marks an
    /// attempt in progress, and the inbox and the open and failed lists follow the state the attempt ends in.
    /// </summary>
    public Task<DeliveryRecord?> TryClaimAsync(DeliveryRecord record, CancellationToken cancellationToken) =>
        SaveAsync(record, attempt: null, follow: false, facts: null, cancellationToken);

    private async Task<DeliveryRecord?> SaveAsync(DeliveryRecord record, AttemptRecord? attempt, bool follow, ShareFactSink? facts,
        CancellationToken cancellationToken)
    {
        var entity = new TableEntity(record.IncidentId, record.RecipientId);
        Write(entity, record);
        try
        {
            ETag etag;
            if (attempt is null)
            {
                etag = (await Deliveries.UpdateEntityAsync(entity, record.ETag, TableUpdateMode.Merge, cancellationToken)).Headers.ETag ?? default;
            }
            else
            {
                // The attempt's record and the receipt it moves are written together, or not at all.
                var response = await Deliveries.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, record.ETag),
                    new TableTransactionAction(TableTransactionActionType.Add, AttemptRow(record, attempt)),
                ], cancellationToken);
                etag = response.Value[0].Headers.ETag ?? default;
            }
            if (!follow) return record with { ETag = etag };
            var saved = record with { ETag = etag, StoredStatus = record.Receipt.Status };
            // The end of an attempt always refreshes the inbox row: the claim before it left the row as it was.
            await FollowAsync(saved, statusChanged: record.StoredStatus != record.Receipt.Status || attempt is not null, facts, cancellationToken);
            return saved;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>
    /// What follows a saved receipt: the recipient's inbox row takes the new status (the delivery row is the truth; this
    /// is its copy for listing), a delivery with nothing more to send leaves the open list, and a failed one is listed
    /// as a missing share until the recipient recovers it (fetches or acknowledges it from the inbox).
    /// </summary>
    private async Task FollowAsync(DeliveryRecord record, bool statusChanged, ShareFactSink? facts, CancellationToken cancellationToken)
    {
        if (!statusChanged && record.Receipt.NextAttemptAt is not null) return;
        var mirror = new TableEntity(record.RecipientId, InboxKeys.RowKey(record.IncidentId)) { ["Status"] = record.Receipt.Status };
        if (statusChanged) await ByRecipient.UpsertEntityAsync(mirror, TableUpdateMode.Merge, cancellationToken);
        if (DeliveryStatus.IsFinal(record.Receipt.Status) || record.Receipt.NextAttemptAt is null) await CloseAsync(record.NotificationId, cancellationToken);
        if (!statusChanged) return;
        // The timeliness rollup takes the delivery's new state when its fact changes (delivered, acknowledged, failed, or recovered
        // from failed; pending → sending changes none of it); an acknowledged share leaves the open late list.
        var factChanged = record.Receipt.Status is DeliveryStatus.Delivered or DeliveryStatus.Acknowledged or DeliveryStatus.Failed
            || record.Receipt.FailedAt is not null;
        if (factChanged && record.Row is { } row && Timeliness.ShareFactRows.FromDelivery(row, record.Receipt) is { } fact)
        {
            if (facts is not null) facts.Add(fact);
            else await rollups.RecordAsync([fact], cancellationToken);
        }
        if (record.Receipt.Status == DeliveryStatus.Acknowledged) await sla.UnlistLateAsync(record.NotificationId, cancellationToken);
        if (record.Receipt.Status == DeliveryStatus.Failed)
            await Open.UpsertEntityAsync(new TableEntity(FailedPartition, record.NotificationId) { ["FailureReason"] = record.Receipt.FailureReason },
                TableUpdateMode.Replace, cancellationToken);
        else if (record.Receipt.FailedAt is not null)
            await DeleteIfExistsAsync(FailedPartition, record.NotificationId, cancellationToken);
    }

    /// <summary>Deliveries that failed on every channel and have not been recovered since (at most <paramref name="limit"/> counted).</summary>
    public async Task<int> FailedCountAsync(int limit, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in Open.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {FailedPartition}"), select: ["RowKey"],
            cancellationToken: cancellationToken))
        {
            if (++count >= limit) break;
        }
        return count;
    }

    /// <summary>Open deliveries whose next attempt is overdue by more than <paramref name="grace"/> and not in progress (lost messages awaiting reconciliation).</summary>
    public async Task<int> OverdueCountAsync(DateTimeOffset now, TimeSpan grace, int limit, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var (incidentId, recipientId) in OpenDeliveriesAsync(cancellationToken))
        {
            // As reconciliation sees it: overdue, and not held by an attempt in progress.
            if (await LoadAsync(incidentId, recipientId, cancellationToken) is { Receipt.NextAttemptAt: { } next } record
                && !DeliveryStatus.IsFinal(record.Receipt.Status) && next < now - grace && !(record.ClaimedUntil > now) && ++count >= limit) break;
        }
        return count;
    }

    /// <summary>The recipient's projected content as stored with the delivery (null once purged), from the row already read.</summary>
    public static byte[]? Content(DeliveryRecord record) => record.Row is { } row ? LargeBinary.Read(row, "Content") : null;

    /// <summary>
    /// An attempt's record: a row beside its delivery (partition = incident id, row = <c>{recipientId}|attempt|{n:D5}</c>),
    /// added with the receipt it moves and never changed. Attempt numbers come from the claim, so each is written once.
    /// </summary>
    private static TableEntity AttemptRow(DeliveryRecord record, AttemptRecord attempt) =>
        new(record.IncidentId, AttemptKeyPrefix(record.RecipientId) + attempt.Number.ToString("D5", CultureInfo.InvariantCulture))
        {
            ["Channel"] = attempt.Channel,
            ["StartedAt"] = attempt.StartedAt,
            ["DurationMs"] = attempt.DurationMs,
            ["Outcome"] = attempt.Outcome,
            ["HttpStatus"] = attempt.HttpStatus,
            ["SmtpReply"] = attempt.SmtpReply,
            ["ErrorClass"] = attempt.ErrorClass,
            ["Response"] = attempt.Response,
        };

    public static string AttemptKeyPrefix(string recipientId) => recipientId + "|attempt|";

    /// <summary>Whether a row of the Deliveries table is an attempt record rather than a delivery.</summary>
    public static bool IsAttemptRow(string rowKey) => rowKey.Contains('|', StringComparison.Ordinal);

    /// <summary>An attempt record as stored (the number is the row key's last part).</summary>
    public static AttemptRecord ReadAttempt(TableEntity row) =>
        new(int.Parse(row.RowKey[(row.RowKey.LastIndexOf('|') + 1)..], CultureInfo.InvariantCulture), row.GetString("Channel"),
            row.GetDateTimeOffset("StartedAt") ?? default, row.GetInt64("DurationMs") ?? 0, row.GetString("Outcome"), row.GetInt32("HttpStatus"),
            row.GetString("SmtpReply"), row.GetString("ErrorClass"), row.GetString("Response"));

    public async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string incidentId, string recipientId, CancellationToken cancellationToken)
    {
        var prefix = AttemptKeyPrefix(recipientId);
        var list = new List<AttemptRecord>();
        await foreach (var row in Deliveries.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {incidentId} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}"), cancellationToken: cancellationToken))
        {
            list.Add(ReadAttempt(row));
        }
        return list;
    }

    /// <summary>Queues the message for the delivery's current sequence number, visible after <paramref name="delay"/>; it never expires.</summary>
    /// A queue counts visibility in whole seconds, so the delay is rounded up: a message never becomes visible before its time.
    public Task EnqueueAsync(DeliveryRecord record, TimeSpan delay, CancellationToken cancellationToken) =>
        Queue.SendAsync(new DeliveryMessage(record.IncidentId, record.RecipientId, record.Sequence), cancellationToken,
            delay > TimeSpan.Zero ? (delay < MaxQueueDelay ? TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds)) : MaxQueueDelay) : null);

    /// <summary>A storage queue message can be hidden for at most 7 days.</summary>
    private static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    /// <summary>Lists an incident's deliveries as open, in one transaction (routing does this before it queues the first messages).</summary>
    public async Task OpenAsync(string incidentId, IReadOnlyList<string> recipientIds, CancellationToken cancellationToken)
    {
        foreach (var chunk in recipientIds.Chunk(100))
        {
            var rows = chunk.Select(r => new TableEntity(OpenPartition, NotificationIdFor(incidentId, r))).ToList();
            if (rows.Count == 1) await Open.UpsertEntityAsync(rows[0], TableUpdateMode.Replace, cancellationToken);
            else await Open.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
        }
    }

    private Task CloseAsync(string notificationId, CancellationToken cancellationToken) => DeleteIfExistsAsync(OpenPartition, notificationId, cancellationToken);

    private async Task DeleteIfExistsAsync(string partition, string notificationId, CancellationToken cancellationToken)
    {
        try { await Open.DeleteEntityAsync(partition, notificationId, ETag.All, cancellationToken); }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    /// <summary>The deliveries still open, for reconciliation.</summary>
    public async IAsyncEnumerable<(string IncidentId, string RecipientId)> OpenDeliveriesAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in Open.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {OpenPartition}"),
            select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (Delivery.NotificationId.TryParse(row.RowKey, out var incidentId, out var recipientId)) yield return (incidentId, recipientId);
        }
    }

    /// <summary>Removes a delivery from the open list once it is found final (a crash can leave it listed).</summary>
    public Task ForgetAsync(DeliveryRecord record, CancellationToken cancellationToken) => CloseAsync(record.NotificationId, cancellationToken);

    private static string NotificationIdFor(string incidentId, string recipientId) => Delivery.NotificationId.Format(incidentId, recipientId);

    internal static DeliveryRecord Read(TableEntity e)
    {
        var channels = e.GetString("Channels") is { Length: > 0 } list ? list.Split(',') : [];
        var created = e.GetDateTimeOffset("CreatedAt") ?? default;
        var status = e.GetString("Status") ?? DeliveryStatus.Pending;
        var ack = e.GetString("AckName") is { } name ? new Acknowledgement(name, e.GetString("AckRole") ?? "", e.GetDateTimeOffset("AckAt") ?? default) : null;
        var receipt = new ReceiptState(
            status, channels, e.GetInt32("ChannelIndex") ?? 0, e.GetInt32("FailuresOnChannel") ?? 0, e.GetInt32("Attempts") ?? 0,
            e.ContainsKey("Channels") ? OrNone(e, "NextAttemptAt") : OrNone(e, "NextAttemptAt") ?? created,
            e.GetDateTimeOffset("DeliveredAt"), ack, e.GetDateTimeOffset("FailedAt"), e.GetString("FailureReason"));
        return new DeliveryRecord(e.PartitionKey, e.RowKey, e.GetString("RecipientType") ?? "", e.GetString("RecipientName") ?? "",
            e.GetString("ForceCode"), e.GetString("IncidentReference"), created, receipt, e.GetInt32("Sequence") ?? 0,
            OrNone(e, "ClaimedUntil"), e.GetString("LinkNonce"), e.GetDateTimeOffset("FirstOpenedAt"), e.ContainsKey("ContentPurgedAt"), e.ETag)
        {
            Row = e,
            StoredStatus = status,
        };
    }

    /// <summary>
    /// Stands for "none" in the two times that go back to none (the claim and the next attempt): a merge cannot remove a
    /// property, and every other field, once set, stays set.
    /// </summary>
    private static readonly DateTimeOffset None = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset? OrNone(TableEntity e, string key) => e.GetDateTimeOffset(key) is { } at && at > None ? at : null;

    private static void Write(TableEntity e, DeliveryRecord record)
    {
        var r = record.Receipt;
        void Set(string key, object? value)
        {
            if (value is not null) e[key] = value;
        }
        Set("Status", r.Status);
        Set("Channels", string.Join(',', r.Channels));
        Set("ChannelIndex", r.ChannelIndex);
        Set("FailuresOnChannel", r.FailuresOnChannel);
        Set("Attempts", r.Attempts);
        e["NextAttemptAt"] = r.NextAttemptAt ?? None;
        Set("DeliveredAt", r.DeliveredAt);
        Set("AckName", r.Acknowledged?.Name);
        Set("AckRole", r.Acknowledged?.Role);
        Set("AckAt", r.Acknowledged?.At);
        Set("FailedAt", r.FailedAt);
        Set("FailureReason", r.FailureReason);
        Set("Sequence", record.Sequence);
        e["ClaimedUntil"] = record.ClaimedUntil ?? None;
        Set("LinkNonce", record.LinkNonce);
        Set("FirstOpenedAt", record.FirstOpenedAt);
    }
}

/// <summary>Inbox rows (<c>RecipientDeliveries</c>): partition = recipient id, row = the incident id with its hex digits inverted, so newest sorts first.</summary>
public static class InboxKeys
{
    private const string Prefix = "inc_";

    public static string RowKey(string incidentId) => Invert(incidentId.StartsWith(Prefix, StringComparison.Ordinal) ? incidentId[Prefix.Length..] : incidentId);

    public static string IncidentId(string rowKey) => Prefix + Invert(rowKey);

    private static string Invert(string hex) =>
        string.Create(hex.Length, hex, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiHexDigitLower(c) ? "fedcba9876543210"[Convert.ToInt32(c.ToString(), 16)] : c;
            }
        });
}
