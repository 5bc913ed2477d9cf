using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using NotifyHub.Delivery;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.Organisations;
using Microsoft.Extensions.Options;
using NotifyHub.Domain;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Strategy;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Domain.Validation;
using NotifyHub.Storage;
using NotifyHub.Timeliness;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Decisions;

/// <summary>The MASH's notification an incident's decisions are recorded through, as found for its caller.</summary>
public sealed record MashNotification(DeliveryRecord Delivery, IncidentLedger Ledger);

/// <summary>
/// What a MASH does with its decisions: find the incident through its own notification, record a decision (a new version,
/// committed to the incident's ledger by its one writer), read every version. The reading force reads them by its reference.
/// </summary>
public sealed class MashDecisions(LedgerStore ledger, LedgerWriter writer, DirectoryStore directory, DueTimeCalculator dueTimes,
    IOptions<TimelinessOptions> timeliness, TableServiceClient tables, TimeProvider time)
{
    /// <summary>The MASH's notification <paramref name="notificationId"/>, if it is addressed to <paramref name="organisationId"/> and that is a MASH.</summary>
    public async Task<MashNotification?> FindAsync(string notificationId, string organisationId, CancellationToken ct)
    {
        if (!NotificationId.TryParse(notificationId, out var incidentId, out var recipientId) || recipientId != organisationId) return null;
        var current = await ledger.LoadAsync(incidentId, LedgerParts.Decisions, null, ct);
        return current.Delivery(recipientId) is { RecipientType: T.Mash, Kind: DeliveryKinds.Incident } d ? new MashNotification(d, current) : null;
    }

    /// <summary>
    /// Reads a decision sent through <paramref name="mash"/> by <see cref="DecisionInput"/>'s rules: its children are the
    /// incident's, and it was made after the MASH received the incident and not after now.
    /// </summary>
    public Validated<DecisionRequest> Validate(MashNotification mash, JsonElement body)
    {
        var children = mash.Delivery.Children;
        return DecisionInput.Validate(body, children.Count == 0 ? 0 : children.Max() + 1, mash.Delivery.CreatedAt, time.GetUtcNow());
    }

    /// <summary>
    /// What a well-formed decision may still get wrong, which only the directory and the notification know: a next step's
    /// owner that is not an active organisation, a child the MASH's notification does not list. Empty: it may be recorded.
    /// </summary>
    public async Task<FieldErrors> RefusalsAsync(MashNotification mash, DecisionRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        foreach (var i in await UnknownOwnersAsync(request, ct)) errors.Add($"nextSteps[{i}].owner", "is not an active organisation in the directory");
        foreach (var (child, i) in request.Children.Select((c, i) => (c, i)).Where(c => !mash.Delivery.Children.Contains(c.c)))
            errors.Add($"children[{i}]", "is not one of the incident's children this notification lists");
        return errors;
    }

    /// <summary>What the audit trail keeps of a recorded version: counts and codes, never the rationale.</summary>
    public static object AuditDetails(MashDecision recorded, int shared) =>
        new { version = recorded.Version, outcome = recorded.Outcome, sharedWith = shared, nextSteps = recorded.NextSteps.Count };

    /// <summary>The next steps' owners that are not active organisations in the directory, by their index in the request.</summary>
    public async Task<IReadOnlyList<int>> UnknownOwnersAsync(DecisionRequest request, CancellationToken ct)
    {
        var unknown = new List<int>();
        for (var i = 0; i < request.NextSteps.Count; i++)
        {
            if (await directory.GetAsync(request.NextSteps[i].Owner, ct) is not { Active: true }) unknown.Add(i);
        }
        return unknown;
    }

    /// <summary>
    /// Records <paramref name="request"/> as the incident's next decision version. The id is chosen once, before the first
    /// try: a commit that landed before its answer was lost is found on the next read and not made twice.
    /// </summary>
    /// <para>
    /// In the same commit the version is shared with every agency involved (every organisation that received the incident
    /// but this MASH, and the submitting force), each next step is sent to its owner, and the decision due from the MASH is
    /// met: all of them deliveries (docs/decisions.md), which the views and the first attempts follow once applied.
    /// </para>
    /// </summary>
    public async Task<(MashDecision Decision, bool Created, int Shared)> RecordAsync(MashNotification mash, DecisionRequest request, string keyId,
        CancellationToken ct)
    {
        var decisionId = "dec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var start = time.GetUtcNow();
        var involved = await InvolvedAsync(mash.Ledger, ct);
        var due = await SharesDueAsync(involved, timeliness.Value.DecisionShareRule, start, ct);
        var owners = new Dictionary<string, FollowUpRecipient>(StringComparer.Ordinal);
        foreach (var owner in request.NextSteps.Select(s => s.Owner).Distinct(StringComparer.Ordinal))
        {
            if (await directory.GetAsync(owner, ct) is { Active: true } o) owners[owner] = new FollowUpRecipient(o.Id, o.Type, o.Name, []);
        }

        var dayEndsAt = DeadlineRule.TryParseTime(timeliness.Value.WorkingDayEndsAt, out var endsAt, out _) ? endsAt.ToTimeOnly() : (TimeOnly?)null;
        // A strategy discussion is to be held by the policy's time from the decision, on the chair's (the MASH's) calendar.
        var mashOrganisation = await directory.GetAsync(mash.Delivery.OrganisationId, ct)
            ?? new Organisation(mash.Delivery.OrganisationId, mash.Delivery.RecipientType, mash.Delivery.RecipientName, true);
        var heldBy = request.Outcome == DecisionOutcomes.StrategyDiscussion
            ? await dueTimes.ByRuleAsync(mashOrganisation, timeliness.Value.StrategyHeldRule(mash.Ledger.Facts?.RiskLevel), start, ct)
            : null;
        MashDecision? recorded = null;
        var shared = 0;
        var committed = await writer.ChangeAsync(mash.Ledger.IncidentId, LedgerParts.Decisions | LedgerParts.Strategy, null, current =>
        {
            if (current.Delivery(mash.Delivery.RecipientId) is not { } delivery) return null;
            var now = time.GetUtcNow();
            var (decision, updated, recordedEvent) = DecisionChanges.Record(current.Decisions, delivery, request, decisionId, keyId, now);
            recorded = decision;
            if (recordedEvent is null) return null;
            var write = new LedgerWrite();
            write.Decisions.Add(decision);
            write.Deliveries.Add(updated);
            write.Events.Add(recordedEvent);
            var followUps = FollowUps.ForVersion(current.IncidentId, decision, involved, owners, r => due[r.Id], delivery.ForceCode, delivery.IncidentReference, now,
                dayEndsAt);
            foreach (var (change, content) in followUps.Where(f => current.Delivery(f.Change.Record.RecipientId) is null))
            {
                write.Add(change);
                write.AddContent[change.Record.RecipientId] = content;
            }
            shared = followUps.Count(f => f.Change.Record.Kind == DeliveryKinds.Decision);
            if (current.Delivery(DeliveryKey.DecisionDue(delivery.RecipientId)) is { } owed) write.Add(FollowUps.Decided(owed, decision.Version, now));
            // A decision of strategy-discussion opens one, unless one is open (not yet held) already.
            if (heldBy is not null && current.Discussions.All(d => d.Held is not null))
            {
                var opened = StrategyChanges.Open(current.Discussions.Count + 1, decision.Version, delivery, heldBy, now);
                write.Discussions.Add(opened.Discussion);
                foreach (var (change, _) in opened.Deliveries) write.Add(change);
                write.Events.AddRange(opened.Events);
            }
            return write;
        }, LedgerWriter.Options.Request, ct);
        return (recorded!, committed.Events.Count > 0, shared);
    }

    /// <summary>
    /// Raises a challenge to the decision version <paramref name="share"/> carried, from its recipient: a notification to the
    /// MASH that recorded it, its response due by <see cref="TimelinessOptions.ChallengeResponseDue"/>. A recipient has one
    /// challenge of a version open at a time: raising it again (a retried request) answers the one open (Created false).
    /// Null when the version's MASH no longer has the incident's notification.
    /// </summary>
    public async Task<(DeliveryRecord Challenge, bool Created)?> ChallengeAsync(DeliveryRecord share, ChallengeRequest request, CancellationToken ct)
    {
        var version = DeliveryKey.NumberOf(share.RecipientId) ?? 0;
        var loaded = await ledger.LoadAsync(share.IncidentId, LedgerParts.Decisions, null, ct);
        if (loaded.Decisions.FirstOrDefault(d => d.Version == version)?.RecordedBy is not { } mashId || loaded.Delivery(mashId) is not { } mash) return null;
        var mashOrganisation = await directory.GetAsync(mashId, ct) ?? new Organisation(mashId, mash.RecipientType, mash.RecipientName, true);
        var due = await dueTimes.ByRuleAsync(mashOrganisation, timeliness.Value.ChallengeResponseRule, time.GetUtcNow(), ct);
        DeliveryRecord? open = null;
        var committed = await writer.ChangeAsync(share.IncidentId, LedgerParts.None, null, current =>
        {
            var challenges = current.Deliveries.Values.Where(d => d.Kind == DeliveryKinds.Challenge).ToList();
            open = challenges.FirstOrDefault(c => FollowUps.ChallengeOf(c) is var (by, v, _) && by == share.OrganisationId && v == version
                && c.Receipt.Acknowledged is null);
            if (open is not null || current.Delivery(mashId) is not { } m) return null;
            var number = challenges.Select(c => DeliveryKey.NumberOf(c.RecipientId) ?? 0).DefaultIfEmpty(0).Max() + 1;
            var (change, content) = FollowUps.Challenge(share, m, number, request.Reason, request.Asks, due, time.GetUtcNow());
            var write = new LedgerWrite().Add(change);
            write.AddContent[change.Record.RecipientId] = content;
            return write;
        }, LedgerWriter.Options.Request, ct);
        if (open is not null) return (open, false);
        var raised = committed.Events.FirstOrDefault(e => e.Event.Type == LedgerEventTypes.ChallengeRaised)?.Event.Subject;
        return raised is not null && committed.After.Delivery(raised) is { } made ? (made, true) : null;
    }

    /// <summary>
    /// The MASH answers challenge <paramref name="challenge"/>: recorded on the challenge, and the response sent to the
    /// challenger and every organisation the challenged version went to, each due by <see cref="TimelinessOptions.DecisionShareDue"/>.
    /// Answered already: nothing changes (Answered false).
    /// </summary>
    public async Task<(DeliveryRecord Challenge, bool Answered, int SentTo)> AnswerAsync(DeliveryRecord challenge, ChallengeAnswer answer, CancellationToken ct)
    {
        var (challenger, version, _) = FollowUps.ChallengeOf(challenge) ?? ("", 0, null);
        var loaded = await ledger.LoadAsync(challenge.IncidentId, LedgerParts.None, null, ct);
        var recipients = loaded.Deliveries.Values
            .Where(d => (d.Kind == DeliveryKinds.Decision && DeliveryKey.NumberOf(d.RecipientId) == version) || d.RecipientId == challenger)
            .Select(d => new FollowUpRecipient(d.OrganisationId, d.RecipientType, d.RecipientName, d.Children)).DistinctBy(r => r.Id).ToList();
        var due = await SharesDueAsync(recipients, timeliness.Value.DecisionShareRule, time.GetUtcNow(), ct);
        var sent = 0;
        var committed = await writer.ChangeAsync(challenge.IncidentId, LedgerParts.None, null, current =>
        {
            if (current.Delivery(challenge.RecipientId) is not { } c) return null;
            var made = FollowUps.Answer(c, answer.By, answer.Response, answer.Reasons, answer.NewVersion, recipients, r => due[r.Id], time.GetUtcNow());
            if (made.Count == 0) return null;
            var write = new LedgerWrite();
            foreach (var (change, content) in made.Where(m => m.Change.Record.RecipientId == c.RecipientId || current.Delivery(m.Change.Record.RecipientId) is null))
            {
                write.Add(change);
                if (content is not null) write.AddContent[change.Record.RecipientId] = content;
            }
            sent = made.Count - 1;
            return write;
        }, LedgerWriter.Options.Request, ct);
        var after = committed.After.Delivery(challenge.RecipientId) ?? challenge;
        return (after, committed.Events.Count > 0, sent);
    }

    /// <summary>The incident's latest decision version (0: none).</summary>
    public async Task<int> LatestVersionAsync(string incidentId, CancellationToken ct) =>
        (await ledger.LoadAsync(incidentId, LedgerParts.Decisions, null, ct)).Decisions.Select(d => d.Version).DefaultIfEmpty(0).Max();

    /// <summary>Every agency involved in an incident: each organisation that received it (with the children it was told of; not one whose share the LA front door holds or withheld), and the submitting force.</summary>
    public async Task<IReadOnlyList<FollowUpRecipient>> InvolvedAsync(IncidentLedger current, CancellationToken ct)
    {
        // A share held or withheld at the LA front door has not reached its recipient: it is not yet involved.
        var involved = current.Deliveries.Values.Where(d => d.Kind == DeliveryKinds.Incident && d.WithRecipient)
            .Select(d => new FollowUpRecipient(d.OrganisationId, d.RecipientType, d.RecipientName, d.Children)).ToList();
        if (current.Facts?.ForceCode is { } force && await directory.Forces.OwnerAsync(force, ct) is { } forceId && await directory.GetAsync(forceId, ct) is { Active: true } o)
            involved.Add(new FollowUpRecipient(o.Id, o.Type, o.Name, []));
        return involved;
    }

    /// <summary>When something sent now to each of <paramref name="recipients"/> is due by <paramref name="rule"/>, over each one's calendar.</summary>
    public async Task<IReadOnlyDictionary<string, DueInfo>> SharesDueAsync(IEnumerable<FollowUpRecipient> recipients, DeadlineRule rule, DateTimeOffset from,
        CancellationToken ct)
    {
        var due = new Dictionary<string, DueInfo>(StringComparer.Ordinal);
        foreach (var r in recipients.DistinctBy(r => r.Id))
        {
            var organisation = await directory.GetAsync(r.Id, ct) ?? new Organisation(r.Id, r.Type, r.Name, true);
            due[r.Id] = await dueTimes.ByRuleAsync(organisation, rule, from, ct);
        }
        return due;
    }

    /// <summary>The awaiting-decision view's rows (<see cref="DecisionViews.Awaiting"/>): one MASH's, or every MASH's.</summary>
    public IAsyncEnumerable<TableEntity> AwaitingAsync(string? mash, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DecisionViews.AwaitingPartition}");
        if (mash is not null) filter += " and " + TableClient.CreateQueryFilter($"RecipientId eq {mash}");
        return tables.GetTableClient(StorageNames.DecisionsAwaitingTable).QueryAsync<TableEntity>(filter, cancellationToken: ct);
    }

    /// <summary>The decided incidents' view rows (<see cref="DecisionViews.Made"/>).</summary>
    public IAsyncEnumerable<TableEntity> MadeAsync(CancellationToken ct) =>
        tables.GetTableClient(StorageNames.DecisionsMadeTable).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {DecisionViews.MadePartition}"), cancellationToken: ct);

    /// <summary>
    /// The decision report for a scope and a range of UK dates (when the incidents were received): read from the decisions'
    /// views — the awaiting list, the decided incidents, the follow-ups — and built by <see cref="DecisionReport.Build"/>.
    /// </summary>
    public async Task<DecisionReport> ReportAsync(Scope scope, DateOnly from, DateOnly to, CancellationToken ct)
    {
        bool InRange(TableEntity row) =>
            scope.Covers(row.GetString("La") ?? "", row.GetString("ForceCode") ?? "")
            && row.GetDateTimeOffset("ReceivedAt") is { } received && UkTime.DateOf(received) is var day && day >= from && day <= to;
        var decided = new List<DecidedRow>();
        await foreach (var row in MadeAsync(ct))
        {
            if (InRange(row))
                decided.Add(new DecidedRow(row.GetString("RiskLevel") ?? "unknown", row.GetString("Outcome") ?? "", row.GetBoolean("Joint") == true,
                    row.GetDateTimeOffset("ReceivedAt")!.Value, row.GetDateTimeOffset("ReportedAt"), row.GetDateTimeOffset("DecidedAt") ?? default));
        }
        var awaiting = new List<AwaitingRow>();
        await foreach (var row in AwaitingAsync(null, ct))
        {
            if (InRange(row)) awaiting.Add(new AwaitingRow(row.GetString("RiskLevel"), row.GetDateTimeOffset("ReceivedAt")!.Value));
        }
        var followUps = new List<FollowUpRow>();
        await foreach (var row in FollowUpsAsync(ct))
        {
            if (InRange(row))
                followUps.Add(new FollowUpRow(row.GetString("IncidentId") ?? "", row.GetString("Kind") ?? "", row.GetString("RecipientType") ?? "",
                    row.GetInt32("Number") ?? 0, row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("DueAt"),
                    row.GetDateTimeOffset("AcknowledgedAt"), row.GetString("ChallengerType"), row.GetString("Answer")));
        }
        var options = timeliness.Value;
        return DecisionReport.Build(from, to, scope.Las, decided, awaiting, followUps, options.DecisionDueAt, time.GetUtcNow());
    }

    /// <summary>The decisions' follow-ups view rows (<see cref="DecisionViews.FollowUps"/>).</summary>
    public IAsyncEnumerable<TableEntity> FollowUpsAsync(CancellationToken ct) =>
        tables.GetTableClient(StorageNames.DecisionFollowUpsTable).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {DecisionViews.FollowUpsPartition}"), cancellationToken: ct);

    /// <summary>Every decision version of an incident, oldest first.</summary>
    public async Task<IReadOnlyList<MashDecision>> ForIncidentAsync(string incidentId, CancellationToken ct) =>
        (await ledger.LoadAsync(incidentId, LedgerParts.Decisions, null, ct)).Decisions;
}
