using System.Diagnostics;
using NotifyHub.Delivery;
using NotifyHub.Domain.Ledger;
using NotifyHub.Timeliness;

namespace NotifyHub.Ledger;

/// <summary>
/// Brings the views (<see cref="Views"/>, the rollups, and the note of when the incident changed that the evidence anchor reads) to what an incident's ledger says, and sends the messages its
/// events call for (<see cref="Dispatcher"/>), then moves the incident's checkpoint. Every view row is a pure function of a
/// delivery's state, so applying twice, late or out of order writes the same rows.
/// <para>
/// Right after a commit, the writer hands over what it read and what it committed, and only the deliveries its events
/// touched are written — nothing is read back. The checkpoint moves conditionally on the ETag read with the ledger: if
/// another applier moved it meanwhile, this one's rows may have landed after that one's, so it applies again from what is
/// stored now; the last to write is always one that read the latest state. An incident found lagging (a crash after a
/// commit, an apply that failed) is caught up from its checkpoint: the events since are read, their deliveries' views
/// written outright, their messages sent.
/// </para>
/// </summary>
public sealed class Projector(LedgerStore ledger, RowViewWriter rows, RollupView rollups, Dispatcher dispatch, ProjectionHints hints,
    Evidence.EvidenceChanges evidence, ILogger<Projector> logger)
{
    /// <summary>The row views, in no particular order (each is written on its own).</summary>
    public static readonly IReadOnlyList<RowView> Views =
        [DeliveryViews.Inbox, DeliveryViews.Open, DeliveryViews.Failed, LatenessViews.Awaiting, LatenessViews.Late, Decisions.DecisionViews.Awaiting, Decisions.DecisionViews.Made,
            Decisions.DecisionViews.FollowUps, Strategy.StrategyViews.Deliveries, FrontDoor.FrontDoorViews.Hops];

    private const int MaxTries = 5;

    /// <summary>After a commit: the views of what it changed, its messages, the checkpoint.</summary>
    public async Task ApplyAsync(Committed committed, CancellationToken ct)
    {
        var (before, after, events) = committed;
        if (events.Count == 0)
        {
            if (before.Lagging) await CatchUpAsync(after.IncidentId, null, false, ct);
            return;
        }
        if (before.Lagging || after.Version - before.Version != events.Count)
        {
            // Events of another writer sit between what was read and what was committed, or before it: read them.
            await CatchUpAsync(after.IncidentId, Subjects(events), false, ct);
            return;
        }
        var touched = Subjects(events);
        var changes = touched.Select(r => new DeliveryChange(before.Delivery(r), after.Delivery(r)!, true)).ToList();
        await WriteAsync(after, changes, events, RollupView.Unrouted(events), ct);
        await dispatch.DispatchAsync(after, events, ct);
        var (moved, _) = await ledger.TryAdvanceCheckpointAsync(after.IncidentId, after.Version, before.AppliedETag, ct);
        if (!moved)
        {
            LedgerLog.ApplyRaced(logger, after.IncidentId, after.Version);
            await CatchUpAsync(after.IncidentId, touched, false, ct);
        }
    }

    /// <summary>
    /// Brings an incident up to date from what is stored: the events after its checkpoint (their views and messages), and
    /// the views of <paramref name="alsoRewrite"/> (or, with <paramref name="everything"/>, of every delivery and unrouted
    /// share: the rebuild). Answers whether the checkpoint moved; after a few races it leaves a note for <c>ProjectLedger</c>.
    /// </summary>
    public async Task<bool> CatchUpAsync(string incidentId, IReadOnlyCollection<string>? alsoRewrite, bool everything, CancellationToken ct)
    {
        // What this catch-up has written: a try that lost the race to the checkpoint may have written rows older than the
        // winner's, so every later try writes them again from what it reads, even when no event is left to apply.
        var rewrite = new HashSet<string>(alsoRewrite ?? [], StringComparer.Ordinal);
        for (var tries = 0; tries < MaxTries; tries++)
        {
            var current = await ledger.LoadAsync(incidentId, everything ? LedgerParts.Unrouted : LedgerParts.None, null, ct);
            if (!current.Exists) return true;
            var events = current.Lagging ? await ledger.EventsAsync(incidentId, current.Applied, current.Version, ct) : [];
            var touched = everything ? current.Deliveries.Keys.ToList() : Subjects(events).Union(rewrite, StringComparer.Ordinal).ToList();
            if (touched.Count == 0 && events.Count == 0) return true;
            var withUnrouted = everything || RollupView.Unrouted(events);
            if (withUnrouted && !everything) current = await ledger.LoadAsync(incidentId, LedgerParts.Unrouted, null, ct);
            var changes = touched.Where(r => current.Delivery(r) is not null).Select(r => new DeliveryChange(null, current.Delivery(r)!, false)).ToList();
            await WriteAsync(current, changes, events, withUnrouted, ct);
            await dispatch.DispatchAsync(current, events, ct);
            var (moved, _) = await ledger.TryAdvanceCheckpointAsync(incidentId, current.Version, current.AppliedETag, ct);
            if (moved)
            {
                if (events.Count > 0) LedgerLog.CaughtUp(logger, incidentId, current.Applied, current.Version);
                return true;
            }
            LedgerLog.ApplyRaced(logger, incidentId, current.Version);
            rewrite.UnionWith(touched);
        }
        await hints.TryNoteAsync(incidentId, 0);
        return false;
    }

    private async Task WriteAsync(IncidentLedger current, IReadOnlyList<DeliveryChange> changes, IReadOnlyList<StoredEvent> events, bool withUnrouted,
        CancellationToken ct)
    {
        using var span = Telemetry.HubTelemetry.Source.StartActivity("ApplyViews", ActivityKind.Internal);
        span?.SetTag("notifyhub.incident_id", current.IncidentId);
        var writes = Views.Select(v => rows.ApplyAsync(v, changes, current.Facts, ct)).Append(rollups.ApplyAsync(current, changes, withUnrouted, ct))
            .Append(evidence.NoteAsync(current.IncidentId, ct));
        await Task.WhenAll(writes);
    }

    /// <summary>The deliveries the events are about (their subjects that are recipients, not shares).</summary>
    private static List<string> Subjects(IEnumerable<StoredEvent> events) =>
        events.Where(e => e.Event.Type != LedgerEventTypes.ShareUnrouted && e.Event.Subject is not null).Select(e => e.Event.Subject!)
            .Distinct(StringComparer.Ordinal).ToList();
}
