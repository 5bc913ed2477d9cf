using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Evidence;
using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Routing;
using NotifyHub.Storage;

namespace NotifyHub.Ledger;

/// <summary>
/// Table <c>Ledger</c>: one partition per incident (its id), holding the incident's event stream and, beside it, the
/// current state the events record — written together or not at all. Rows:
/// <list type="bullet">
/// <item><c>head</c>: the stream's version (the number of its last event) and the incident's facts; every commit is
/// conditional on its ETag, so two writers never both append (the Streamstone design for event streams on Table Storage).</item>
/// <item><c>ev|{version:D10}</c>: the events, numbered from 1, never changed.</item>
/// <item><c>dl|{recipient}</c>: each delivery's current state; <c>ct|{recipient}</c> its projected content (personal data,
/// removed by the retention purge); <c>at|{recipient}|{n:D5}</c> its attempt records; <c>un|…</c> the unrouted shares.</item>
/// <item><c>proj</c>: the checkpoint — the version every view has been brought to. Written by the projector only.</item>
/// </list>
/// This class is the only code that writes the table: one writer for every delivery and every event.
/// </summary>
public sealed class LedgerStore(TableServiceClient tables)
{
    public const string Head = "head";
    public const string Checkpoint = "proj";
    private const string DeliveryPrefix = "dl|";
    private const string ContentPrefix = "ct|";
    private const string AttemptPrefix = "at|";
    private const string UnroutedPrefix = "un|";
    private const string EventPrefix = "ev|";
    private const string DecisionPrefix = "dc|";
    private const string StrategyPrefix = "sd|";
    /// <summary>Operations in one entity-group transaction, the head's own included.</summary>
    private const int MaxOperations = 100;

    private TableClient Table => tables.GetTableClient(StorageNames.LedgerTable);

    /// <summary>
    /// The incident's ledger: head, checkpoint and every delivery, and the <paramref name="parts"/> asked for (content only
    /// for <paramref name="contentFor"/> when given). One partition query. An incident with nothing committed yet answers an
    /// empty ledger (<see cref="IncidentLedger.Exists"/> false).
    /// </summary>
    public async Task<IncidentLedger> LoadAsync(string incidentId, LedgerParts parts, IReadOnlyCollection<string>? contentFor, CancellationToken ct)
    {
        var ranges = new List<string>
        {
            TableClient.CreateQueryFilter($"RowKey eq {Head}"),
            TableClient.CreateQueryFilter($"RowKey eq {Checkpoint}"),
            Range(DeliveryPrefix),
        };
        if (parts.HasFlag(LedgerParts.Attempts)) ranges.Add(Range(AttemptPrefix));
        if (parts.HasFlag(LedgerParts.Unrouted)) ranges.Add(Range(UnroutedPrefix));
        if (parts.HasFlag(LedgerParts.Decisions)) ranges.Add(Range(DecisionPrefix));
        if (parts.HasFlag(LedgerParts.Strategy)) ranges.Add(Range(StrategyPrefix));
        if (parts.HasFlag(LedgerParts.Content))
        {
            if (contentFor is null) ranges.Add(Range(ContentPrefix));
            else ranges.AddRange(contentFor.Select(r => TableClient.CreateQueryFilter($"RowKey eq {ContentPrefix + r}")));
        }
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {incidentId}") + " and (" + string.Join(" or ", ranges.Select(r => "(" + r + ")")) + ")";
        var rows = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) rows.Add(row);
        return Read(incidentId, rows);
    }

    /// <summary>Events after version <paramref name="after"/> up to <paramref name="through"/>, in order.</summary>
    public async Task<IReadOnlyList<StoredEvent>> EventsAsync(string incidentId, long after, long through, CancellationToken ct)
    {
        var events = new List<StoredEvent>();
        if (through <= after) return events;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {incidentId} and RowKey gt {EventKey(after)} and RowKey le {EventKey(through)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) events.Add(ReadEvent(row));
        return events;
    }

    /// <summary>
    /// The head of the incident's evidence chain: its stream's version and the hash of that event (one point read; computed
    /// from the events for a stream begun before the chain was). Null when nothing was committed for the incident.
    /// </summary>
    public async Task<(long Version, string ChainHash, string Force, string Reference)?> ChainHeadAsync(string incidentId, CancellationToken ct)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(incidentId, Head, ["Version", "ChainHash", "ForceCode", "IncidentReference"], ct);
        if (!row.HasValue) return null;
        var version = row.Value!.GetInt64("Version") ?? 0;
        if (version <= 0) return null;
        return (version, row.Value.GetString("ChainHash") ?? await ComputeChainHeadAsync(incidentId, version, ct), row.Value.GetString("ForceCode") ?? "",
            row.Value.GetString("IncidentReference") ?? "");
    }

    /// <summary>Every event of the incident, in order (the evidence; a view's rebuild reads states, not this).</summary>
    public Task<IReadOnlyList<StoredEvent>> AllEventsAsync(string incidentId, CancellationToken ct) => EventsAsync(incidentId, 0, long.MaxValue / 2, ct);

    /// <summary>
    /// Appends the write's events and states to the incident's ledger, conditional on the head read with
    /// <paramref name="current"/>: null when another writer committed first (read again and decide again). A write of more
    /// than one transaction's worth goes in several, in order, each holding whole deliveries: if a later one conflicts,
    /// those before it stand and a decision made again finds them done.
    /// </summary>
    public async Task<Committed?> TryCommitAsync(IncidentLedger current, LedgerWrite write, DateTimeOffset now, CancellationToken ct)
    {
        if (write.IsEmpty) return new Committed(current, current, []);
        var units = Units(current.IncidentId, write);
        var version = current.Version;
        var etag = current.HeadETag;
        var facts = write.Facts ?? current.Facts;
        var chain = current.ChainHash ?? (current.Version == 0 ? EvidenceChain.Genesis : await ComputeChainHeadAsync(current.IncidentId, current.Version, ct));
        var stored = new List<StoredEvent>();
        foreach (var chunk in Pack(units))
        {
            var actions = new List<TableTransactionAction>();
            var chunkEvents = new List<StoredEvent>();
            foreach (var e in chunk.SelectMany(u => u.Events))
            {
                ++version;
                chain = EvidenceChain.Hash(current.IncidentId, version, e, chain);
                var numbered = new StoredEvent(version, e) { Hash = chain };
                chunkEvents.Add(numbered);
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, EventRow(current.IncidentId, numbered)));
            }
            actions.AddRange(chunk.SelectMany(u => u.Actions));
            var head = HeadRow(current.IncidentId, version, chain, facts, now);
            actions.Insert(0, etag == default
                ? new TableTransactionAction(TableTransactionActionType.Add, head)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, head, etag));
            try
            {
                var response = await Table.SubmitTransactionAsync(actions, ct);
                etag = response.Value[0].Headers.ETag ?? throw new InvalidOperationException("The ledger head came back without an ETag.");
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && (e.FailedTransactionActionIndex ?? 0) == 0)
            {
                return null; // another writer appended first
            }
            stored.AddRange(chunkEvents);
        }
        var deliveries = new Dictionary<string, DeliveryRecord>(current.Deliveries, StringComparer.Ordinal);
        foreach (var d in write.Deliveries) deliveries[d.RecipientId] = d;
        var content = new Dictionary<string, byte[]>(current.Content, StringComparer.Ordinal);
        foreach (var r in write.RemoveContent) content.Remove(r);
        foreach (var (r, bytes) in write.AddContent) content[r] = bytes;
        var unrouted = current.Unrouted.Concat(write.Unrouted).DistinctBy(u => u.Key).ToList();
        var decisions = current.Decisions.Where(d => write.Decisions.All(w => w.Version != d.Version)).Concat(write.Decisions).OrderBy(d => d.Version).ToList();
        var discussions = current.Discussions.Where(d => write.Discussions.All(w => w.Number != d.Number)).Concat(write.Discussions).OrderBy(d => d.Number).ToList();
        var after = current with
        {
            Version = version, HeadETag = etag, ChainHash = chain, Facts = facts, Deliveries = deliveries, Content = content, Unrouted = unrouted, Decisions = decisions,
            Discussions = discussions,
        };
        return new Committed(current, after, stored);
    }

    /// <summary>
    /// Moves the checkpoint to <paramref name="through"/>, conditional on the ETag read with the ledger: false when someone
    /// else moved it meanwhile (the views may then hold what that applier wrote after ours: apply again).
    /// </summary>
    public async Task<(bool Moved, ETag ETag)> TryAdvanceCheckpointAsync(string incidentId, long through, ETag read, CancellationToken ct)
    {
        var row = new TableEntity(incidentId, Checkpoint) { ["Through"] = through };
        try
        {
            var response = read == default
                ? await Table.AddEntityAsync(row, ct)
                : await Table.UpdateEntityAsync(row, read, TableUpdateMode.Replace, ct);
            return (true, response.Headers.ETag ?? default);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return (false, default);
        }
    }

    /// <summary>Every incident with a ledger, a page at a time (a scan of the head rows: for a rebuild, never on a hot path).</summary>
    public async Task<(IReadOnlyList<string> Incidents, string? Next)> IncidentsAsync(string? continuation, int pageSize, CancellationToken ct)
    {
        var pages = Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {Head}"), maxPerPage: pageSize, select: ["PartitionKey"],
            cancellationToken: ct).AsPages(continuation, pageSize);
        await foreach (var page in pages) return (page.Values.Select(r => r.PartitionKey).ToList(), page.ContinuationToken);
        return ([], null);
    }

    private static string Range(string prefix) =>
        TableClient.CreateQueryFilter($"RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");

    private static string EventKey(long version) => EventPrefix + version.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>A group of operations that must go in one transaction (one delivery's rows and events), and its events.</summary>
    private sealed record Unit(List<TableTransactionAction> Actions, List<LedgerEvent> Events)
    {
        public int Size => Actions.Count + Events.Count;
    }

    private static List<Unit> Units(string incidentId, LedgerWrite write)
    {
        var units = new Dictionary<string, Unit>(StringComparer.Ordinal);
        Unit For(string key) => units.TryGetValue(key, out var u) ? u : units[key] = new Unit([], []);
        foreach (var d in write.Deliveries) For(d.RecipientId).Actions.Add(new(TableTransactionActionType.UpsertReplace, DeliveryRow(d)));
        foreach (var (r, bytes) in write.AddContent)
        {
            var row = new TableEntity(incidentId, ContentPrefix + r);
            LargeBinary.Write(row, "Content", bytes);
            For(r).Actions.Add(new(TableTransactionActionType.UpsertReplace, row));
        }
        foreach (var r in write.RemoveContent) For(r).Actions.Add(new(TableTransactionActionType.Delete, new TableEntity(incidentId, ContentPrefix + r), ETag.All));
        foreach (var (r, attempt) in write.Attempts) For(r).Actions.Add(new(TableTransactionActionType.UpsertReplace, AttemptRow(incidentId, r, attempt)));
        foreach (var e in write.Events) For(e.Subject ?? "").Events.Add(e);
        // A decision's row goes with its MASH's delivery and the events about it, which record it.
        foreach (var decision in write.Decisions) For(decision.RecordedBy).Actions.Add(new(TableTransactionActionType.UpsertReplace, DecisionRow(incidentId, decision)));
        // A discussion's row goes with its chair's delivery (what is due from the chair) and the events about it.
        foreach (var discussion in write.Discussions)
        {
            var row = new TableEntity(incidentId, StrategyPrefix + discussion.Number.ToString("D3", CultureInfo.InvariantCulture));
            LargeBinary.Write(row, "Document", discussion.ToJson());
            For(DeliveryKey.StrategyDue(discussion.Chair, discussion.Number)).Actions.Add(new(TableTransactionActionType.UpsertReplace, row));
        }
        var list = new List<Unit>(units.Values);
        // The responses to clear may be many for one delivery (an attempt a row): they go in units of their own, before the
        // delivery's unit, so that the event recording the purge is committed last.
        foreach (var group in write.ClearAttemptResponses.Chunk(MaxOperations - 2))
        {
            list.Insert(0, new Unit(group.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                AttemptRow(incidentId, a.RecipientId, a.Attempt with { Response = null, SmtpReply = null }))).ToList(), []));
        }
        foreach (var share in write.Unrouted)
            list.Add(new Unit([new(TableTransactionActionType.UpsertReplace, UnroutedRow(incidentId, share))], []));
        foreach (var unit in list)
        {
            if (unit.Size + 1 > MaxOperations) throw new InvalidOperationException($"One delivery's change needs {unit.Size} table operations; a transaction holds {MaxOperations - 1} besides the head.");
        }
        return list;
    }

    private static IEnumerable<List<Unit>> Pack(List<Unit> units)
    {
        var chunk = new List<Unit>();
        var size = 1; // the head
        foreach (var unit in units)
        {
            if (size + unit.Size > MaxOperations && chunk.Count > 0)
            {
                yield return chunk;
                chunk = [];
                size = 1;
            }
            chunk.Add(unit);
            size += unit.Size;
        }
        if (chunk.Count > 0) yield return chunk;
    }

    /// <summary>
    /// The chain's head at <paramref name="version"/> for a stream begun before the chain was (no hash on its head): computed
    /// from its events, once — the next commit stores it.
    /// </summary>
    private async Task<string> ComputeChainHeadAsync(string incidentId, long version, CancellationToken ct)
    {
        var events = await EventsAsync(incidentId, 0, version, ct);
        var hashes = EvidenceChain.Hashes(incidentId, events);
        return hashes.Count == 0 ? EvidenceChain.Genesis : hashes[^1];
    }

    private static TableEntity HeadRow(string incidentId, long version, string chainHash, IncidentFacts? facts, DateTimeOffset now)
    {
        var row = new TableEntity(incidentId, Head) { ["Version"] = version, ["ChainHash"] = chainHash, ["ChangedAt"] = now };
        if (facts is not null)
        {
            row["ForceCode"] = facts.ForceCode;
            row["IncidentReference"] = facts.IncidentReference;
            row["La"] = facts.La;
            row["RiskLevel"] = facts.RiskLevel;
            row["ReportedAt"] = facts.ReportedAt;
            row["OccurredAt"] = facts.OccurredAt;
            row["AttendedAt"] = facts.AttendedAt;
            row["ReceivedAt"] = facts.ReceivedAt;
        }
        return row;
    }

    private static TableEntity EventRow(string incidentId, StoredEvent e) => new(incidentId, EventKey(e.Version))
    {
        ["Type"] = e.Event.Type,
        ["At"] = e.Event.At,
        ["Subject"] = e.Event.Subject,
        ["Data"] = e.Event.DataJson(),
        ["Hash"] = e.Hash,
    };

    private static StoredEvent ReadEvent(TableEntity row) =>
        new(long.Parse(row.RowKey[EventPrefix.Length..], CultureInfo.InvariantCulture),
            new LedgerEvent(row.GetString("Type"), row.GetDateTimeOffset("At") ?? default, row.GetString("Subject"), ReadEventData(row.GetString("Data"))))
        {
            Hash = row.GetString("Hash"),
        };

    /// <summary>
    /// An event's particulars as stored. Particulars that are not the JSON the hub wrote (changed in storage by hand) are kept
    /// as found under <c>unreadable</c>, so the event still reads — and its hash shows the change — rather than failing the read.
    /// </summary>
    private static IReadOnlyDictionary<string, object?> ReadEventData(string? json)
    {
        try
        {
            return LedgerEvent.ReadData(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal) { ["unreadable"] = json };
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static TableEntity DeliveryRow(DeliveryRecord d)
    {
        var r = d.Receipt;
        return new TableEntity(d.IncidentId, DeliveryPrefix + d.RecipientId)
        {
            ["RecipientType"] = d.RecipientType,
            ["RecipientName"] = d.RecipientName,
            ["Rule"] = d.Rule,
            ["Children"] = string.Join(',', d.Children),
            ["Adults"] = string.Join(',', d.Adults),
            ["PriorIncidents"] = d.PriorIncidents,
            ["ForceCode"] = d.ForceCode,
            ["IncidentReference"] = d.IncidentReference,
            ["CreatedAt"] = d.CreatedAt,
            ["Status"] = r.Status,
            ["Channels"] = string.Join(',', r.Channels),
            ["ChannelIndex"] = r.ChannelIndex,
            ["FailuresOnChannel"] = r.FailuresOnChannel,
            ["Attempts"] = r.Attempts,
            ["NextAttemptAt"] = r.NextAttemptAt,
            ["DeliveredAt"] = r.DeliveredAt,
            ["AckName"] = r.Acknowledged?.Name,
            ["AckRole"] = r.Acknowledged?.Role,
            ["AckAt"] = r.Acknowledged?.At,
            ["FailedAt"] = r.FailedAt,
            ["FailureReason"] = r.FailureReason,
            ["Sequence"] = d.Sequence,
            ["ClaimedUntil"] = d.ClaimedUntil,
            ["OpenAttempt"] = d.OpenAttempt,
            ["LinkNonce"] = d.LinkNonce,
            ["FirstOpenedAt"] = d.FirstOpenedAt,
            ["DueAt"] = d.Due?.At,
            ["DueRule"] = d.Due?.Rule,
            ["DueGuessed"] = d.Due?.Guessed,
            ["LateAt"] = d.LateAt,
            ["Escalations"] = d.Escalations.Count == 0 ? null : JsonSerializer.Serialize(d.Escalations, Json),
            ["RequeuedUntil"] = d.RequeuedUntil,
            ["ContentPurgedAt"] = d.ContentPurgedAt,
            ["EscalatingUntil"] = d.EscalatingUntil,
            ["DecidedVersion"] = d.Decided?.Version,
            ["DecidedOutcome"] = d.Decided?.Outcome,
            ["DecidedAt"] = d.Decided?.RecordedAt,
            ["DecidedOn"] = d.Decided?.DecidedAt,
            ["DecidedJointly"] = d.Decided?.Joint,
            ["Regarding"] = d.Regarding,
            ["Answer"] = d.Answer,
            ["InformedAt"] = d.InformedAt,
            ["Attended"] = d.Attended,
            ["HeldAt"] = d.HeldAt,
            ["HoldReview"] = d.Hold?.Review,
            ["HoldVia"] = d.Hold?.Via,
            ["HoldAutoRelease"] = d.Hold?.AutoRelease,
            ["HoldReleaseDueAt"] = d.Hold?.ReleaseDueAt,
            ["HoldState"] = d.Hold?.State,
            ["HoldAt"] = d.Hold?.At,
            ["HoldReason"] = d.Hold?.Reason,
            ["HoldOnTime"] = d.Hold?.OnTime,
        };
    }

    private static DeliveryRecord ReadDelivery(TableEntity e, string incidentId)
    {
        var channels = e.GetString("Channels") is { Length: > 0 } list ? list.Split(',') : [];
        var ack = e.GetDateTimeOffset("AckAt") is { } ackAt ? new Acknowledgement(e.GetString("AckName") ?? "", e.GetString("AckRole") ?? "", ackAt) : null;
        var receipt = new ReceiptState(e.GetString("Status") ?? DeliveryStatus.Pending, channels, e.GetInt32("ChannelIndex") ?? 0,
            e.GetInt32("FailuresOnChannel") ?? 0, e.GetInt32("Attempts") ?? 0, e.GetDateTimeOffset("NextAttemptAt"), e.GetDateTimeOffset("DeliveredAt"), ack,
            e.GetDateTimeOffset("FailedAt"), e.GetString("FailureReason"));
        var due = e.GetDateTimeOffset("DueAt") is { } dueAt ? new DueInfo(dueAt, e.GetString("DueRule") ?? "", e.GetBoolean("DueGuessed") ?? false) : null;
        var escalations = e.GetString("Escalations") is { Length: > 0 } json ? JsonSerializer.Deserialize<List<EscalationSent>>(json, Json) ?? [] : [];
        return new DeliveryRecord(incidentId, e.RowKey[DeliveryPrefix.Length..], e.GetString("RecipientType") ?? "", e.GetString("RecipientName") ?? "",
            e.GetString("Rule") ?? "", Indexes(e.GetString("Children")), Indexes(e.GetString("Adults")), e.GetInt32("PriorIncidents") ?? 0,
            e.GetString("ForceCode"), e.GetString("IncidentReference"), e.GetDateTimeOffset("CreatedAt") ?? default, receipt, e.GetInt32("Sequence") ?? 0,
            e.GetDateTimeOffset("ClaimedUntil"), e.GetInt32("OpenAttempt"), e.GetString("LinkNonce"), e.GetDateTimeOffset("FirstOpenedAt"), due,
            e.GetDateTimeOffset("LateAt"), escalations, e.GetDateTimeOffset("RequeuedUntil"), e.GetDateTimeOffset("ContentPurgedAt"))
        {
            EscalatingUntil = e.GetDateTimeOffset("EscalatingUntil"),
            Regarding = e.GetString("Regarding"),
            Answer = e.GetString("Answer"),
            InformedAt = e.GetDateTimeOffset("InformedAt"),
            Attended = e.GetBoolean("Attended"),
            HeldAt = e.GetDateTimeOffset("HeldAt"),
            Hold = e.GetString("HoldReview") is { } review
                ? new FrontDoorHold(review, e.GetString("HoldVia") ?? "", e.GetBoolean("HoldAutoRelease") ?? false, e.GetDateTimeOffset("HoldReleaseDueAt") ?? default,
                    e.GetString("HoldState") ?? HoldStates.Held, e.GetDateTimeOffset("HoldAt"), e.GetString("HoldReason"), e.GetBoolean("HoldOnTime"))
                : null,
            Decided = e.GetInt32("DecidedVersion") is { } decided
                ? new DecisionMade(decided, e.GetString("DecidedOutcome") ?? "", e.GetDateTimeOffset("DecidedAt") ?? default,
                    e.GetDateTimeOffset("DecidedOn") ?? default, e.GetBoolean("DecidedJointly") ?? false)
                : null,
        };
    }

    private static IReadOnlyList<int> Indexes(string? list) =>
        string.IsNullOrEmpty(list) ? [] : list.Split(',').Select(i => int.Parse(i, CultureInfo.InvariantCulture)).ToArray();

    private static TableEntity AttemptRow(string incidentId, string recipientId, AttemptResult a) =>
        new(incidentId, $"{AttemptPrefix}{recipientId}|{a.Number.ToString("D5", CultureInfo.InvariantCulture)}")
        {
            ["Channel"] = a.Channel,
            ["StartedAt"] = a.StartedAt,
            ["DurationMs"] = a.DurationMs,
            ["Outcome"] = a.OutcomeName,
            ["Kind"] = a.Outcome.Kind.ToString(),
            ["WaitForPull"] = a.Outcome.WaitForPull,
            ["HttpStatus"] = a.HttpStatus,
            ["SmtpReply"] = a.SmtpReply,
            ["ErrorClass"] = a.Outcome.ErrorClass,
            ["Response"] = a.Response,
        };

    private static AttemptEntry ReadAttempt(TableEntity row)
    {
        var key = row.RowKey[AttemptPrefix.Length..];
        var bar = key.LastIndexOf('|');
        var kind = Enum.TryParse<OutcomeKind>(row.GetString("Kind"), out var k) ? k : OutcomeKind.Transient;
        var outcome = new AttemptOutcome(kind, row.GetString("ErrorClass"), WaitForPull: row.GetBoolean("WaitForPull") ?? false);
        var attempt = new AttemptResult(int.Parse(key[(bar + 1)..], CultureInfo.InvariantCulture), row.GetString("Channel") ?? "",
            row.GetDateTimeOffset("StartedAt") ?? default, row.GetInt64("DurationMs") ?? 0, outcome, row.GetInt32("HttpStatus"), row.GetString("SmtpReply"),
            row.GetString("Response"));
        return new AttemptEntry(key[..bar], attempt, row.GetString("Outcome") ?? attempt.OutcomeName, row.GetString("ErrorClass"));
    }

    private static TableEntity UnroutedRow(string incidentId, UnroutedShare s) =>
        new(incidentId, UnroutedPrefix + UnroutedKey(s))
        {
            ["Rule"] = s.Rule,
            ["RecipientType"] = s.RecipientType,
            ["Child"] = s.ChildIndex,
            ["Adult"] = s.AdultIndex,
            ["Reason"] = s.Reason,
        };

    /// <summary>An unrouted share's key within its incident: <c>{rule}|{type}|c{child}|a{adult}</c>.</summary>
    public static string UnroutedKey(UnroutedShare s) => $"{s.Rule}|{s.RecipientType}|c{s.ChildIndex}|a{s.AdultIndex}";

    private static UnroutedShare ReadUnrouted(TableEntity row) =>
        new(row.GetString("Rule") ?? "", row.GetString("RecipientType") ?? "", row.GetInt32("Child"), row.GetInt32("Adult"), row.GetString("Reason") ?? "");

    /// <summary>One version of the MASH's decision; its free text (rationale, next steps' actions) as JSON beside the codes.</summary>
    private static TableEntity DecisionRow(string incidentId, Domain.Decisions.MashDecision d) =>
        new(incidentId, DecisionPrefix + d.Version.ToString("D6", CultureInfo.InvariantCulture))
        {
            ["DecisionId"] = d.DecisionId,
            ["Version"] = d.Version,
            ["Outcome"] = d.Outcome,
            ["Children"] = string.Join(',', d.Children),
            ["DecidedAt"] = d.DecidedAt,
            ["Joint"] = d.Joint,
            ["JointWith"] = string.Join(',', d.JointWith),
            ["Rationale"] = d.Rationale,
            ["NextSteps"] = JsonSerializer.Serialize(d.NextSteps, Json),
            ["RecordedBy"] = d.RecordedBy,
            ["RecordedByKey"] = d.RecordedByKey,
            ["RecordedAt"] = d.RecordedAt,
            ["RationalePurgedAt"] = d.RationalePurgedAt,
        };

    private static Domain.Decisions.MashDecision ReadDecision(TableEntity row) =>
        new(row.GetString("DecisionId") ?? "", row.GetInt32("Version") ?? 0, row.GetString("Outcome") ?? "",
            [.. (row.GetString("Children") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture))],
            row.GetDateTimeOffset("DecidedAt") ?? default, row.GetBoolean("Joint") ?? false,
            [.. (row.GetString("JointWith") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)], row.GetString("Rationale"),
            JsonSerializer.Deserialize<List<Domain.Decisions.NextStep>>(row.GetString("NextSteps") ?? "[]", Json) ?? [],
            row.GetString("RecordedBy") ?? "", row.GetString("RecordedByKey") ?? "", row.GetDateTimeOffset("RecordedAt") ?? default,
            row.GetDateTimeOffset("RationalePurgedAt"));

    /// <summary>An incident's ledger from its rows as stored (a partition query, or a scan grouped by partition).</summary>
    public static IncidentLedger Read(string incidentId, IReadOnlyList<TableEntity> rows)
    {
        var ledger = IncidentLedger.Empty(incidentId);
        var deliveries = new Dictionary<string, DeliveryRecord>(StringComparer.Ordinal);
        var content = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var attempts = new List<AttemptEntry>();
        var unrouted = new List<UnroutedShare>();
        var decisions = new List<Domain.Decisions.MashDecision>();
        var discussions = new List<Domain.Strategy.StrategyDiscussion>();
        foreach (var row in rows)
        {
            switch (row.RowKey)
            {
                case Head:
                    ledger = ledger with { Version = row.GetInt64("Version") ?? 0, HeadETag = row.ETag, ChainHash = row.GetString("ChainHash"), Facts = ReadFacts(row) };
                    break;
                case Checkpoint:
                    ledger = ledger with { Applied = row.GetInt64("Through") ?? 0, AppliedETag = row.ETag };
                    break;
                case var key when key.StartsWith(DeliveryPrefix, StringComparison.Ordinal):
                    var d = ReadDelivery(row, incidentId);
                    deliveries[d.RecipientId] = d;
                    break;
                case var key when key.StartsWith(ContentPrefix, StringComparison.Ordinal):
                    if (LargeBinary.Read(row, "Content") is { } bytes) content[key[ContentPrefix.Length..]] = bytes;
                    break;
                case var key when key.StartsWith(AttemptPrefix, StringComparison.Ordinal):
                    attempts.Add(ReadAttempt(row));
                    break;
                case var key when key.StartsWith(UnroutedPrefix, StringComparison.Ordinal):
                    unrouted.Add(ReadUnrouted(row));
                    break;
                case var key when key.StartsWith(DecisionPrefix, StringComparison.Ordinal):
                    decisions.Add(ReadDecision(row));
                    break;
                case var key when key.StartsWith(StrategyPrefix, StringComparison.Ordinal):
                    if (LargeBinary.Read(row, "Document") is { } document && Domain.Strategy.StrategyDiscussion.Read(document) is { } discussion) discussions.Add(discussion);
                    break;
            }
        }
        return ledger with
        {
            Deliveries = deliveries, Content = content, Attempts = attempts, Unrouted = unrouted, Decisions = [.. decisions.OrderBy(d => d.Version)],
            Discussions = [.. discussions.OrderBy(d => d.Number)],
        };
    }

    private static IncidentFacts? ReadFacts(TableEntity row) =>
        row.GetString("La") is { } la && row.GetDateTimeOffset("ReportedAt") is { } reported
            ? new IncidentFacts(row.GetString("ForceCode") ?? "", row.GetString("IncidentReference") ?? "", la, row.GetString("RiskLevel") ?? "", reported,
                row.GetDateTimeOffset("OccurredAt") ?? reported, row.GetDateTimeOffset("AttendedAt"), row.GetDateTimeOffset("ReceivedAt") ?? reported)
            : null;
}
