using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Storage;
using NotifyHub.Timeliness;

namespace NotifyHub.Ledger;

/// <summary>A rebuild of the views, as its run row records it.</summary>
/// <param name="UpdatedAt">When it last moved on: a run that has not moved for <see cref="ViewRebuild.StalledAfter"/> no longer blocks a new one.</param>
public sealed record RebuildRun(string Id, string Status, string Phase, DateTimeOffset StartedAt, string StartedBy, DateTimeOffset? FinishedAt,
    int Incidents, int Manifests, int RowsChecked, int RowsRewritten, int RowsRemoved, DateTimeOffset UpdatedAt)
{
    public const string Running = "running";
    public const string Done = "done";
}

/// <summary>The message on the <c>view-rebuilds</c> queue: which run, which phase, and where in it (a table continuation token).</summary>
public sealed record RebuildStep(string RunId, string Phase, string? Cursor);

/// <summary>
/// Rebuilds every view from the ledger while the hub keeps running (<c>POST /api/admin/views/rebuild</c>), a page a message:
/// <list type="number">
/// <item><c>incidents</c>: every incident's views written outright from its ledger (<see cref="Projector.CatchUpAsync"/>:
/// by the same rules as the live apply, under the same checkpoint, so a change committed meanwhile is never overwritten
/// by an older state — whichever writes last read the latest);</item>
/// <item><c>manifests</c>: the shares missing at source recorded again from the manifests;</item>
/// <item><c>sweep:{view}</c>: every stored row of each view checked against the ledger — a row no delivery supports is
/// removed; one that differs from its delivery's state has its delivery's views written again;</item>
/// <item><c>sweep:rollups</c>: every fact of every rollup cell likewise.</item>
/// </list>
/// The run row (table <c>Views</c>, partition <c>rebuild</c>) says how far it has got. Each step queues the next before
/// it records its progress (conditional on the row's ETag), so a crash repeats a page rather than stopping the run, and a
/// copy of a step that loses the race withdraws the message it queued.
/// </summary>
public sealed class ViewRebuild(TableServiceClient tables, QueueServiceClient queues, LedgerStore ledger, Projector projector, RowViewWriter rows,
    RollupStore rollups, ManifestStore manifests, TimeProvider time, ILogger<ViewRebuild> logger)
{
    public const string Partition = "rebuild";
    private const int PageSize = 100;

    public static readonly IReadOnlyList<string> Phases =
        ["incidents", "manifests", .. Projector.Views.Select(v => "sweep:" + v.Name), "sweep:rollups"];

    private TableClient Runs => tables.GetTableClient(StorageNames.ViewsTable);
    private QueueClient Steps => queues.GetQueueClient(StorageNames.ViewRebuildsQueue);

    /// <summary>A run whose steps have not moved it on for this long has stalled (its messages poisoned, say): it no longer blocks a new one.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(15);

    /// <summary>Starts a run, unless one is running: answers the new run, or the running one with <c>started</c> false.</summary>
    public async Task<(RebuildRun Run, bool Started)> StartAsync(string startedBy, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await CurrentAsync(ct) is { Status: RebuildRun.Running } running && now - running.UpdatedAt < StalledAfter) return (running, false);
        // Newest first: the row key counts down.
        var id = (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
        var run = new RebuildRun(id, RebuildRun.Running, Phases[0], now, startedBy, null, 0, 0, 0, 0, 0, now);
        await Runs.AddEntityAsync(Row(run, null), ct);
        await Steps.SendAsync(new RebuildStep(id, Phases[0], null), ct);
        return (run, true);
    }

    public async Task<RebuildRun?> GetAsync(string id, CancellationToken ct) =>
        await Runs.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: ct) is { HasValue: true } row ? Read(row.Value!) : null;

    /// <summary>The latest run, if any.</summary>
    public async Task<RebuildRun?> CurrentAsync(CancellationToken ct)
    {
        await foreach (var row in Runs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), maxPerPage: 1, cancellationToken: ct))
            return Read(row);
        return null;
    }

    /// <summary>Does one step: a page of its phase; queues the next step and records the progress.</summary>
    public async Task StepAsync(RebuildStep step, CancellationToken ct)
    {
        var stored = await Runs.GetEntityIfExistsAsync<TableEntity>(Partition, step.RunId, cancellationToken: ct);
        if (!stored.HasValue) return;
        var run = Read(stored.Value!);
        if (run.Status != RebuildRun.Running || run.Phase != step.Phase || stored.Value!.GetString("Cursor") != step.Cursor) return; // a step already done
        var (next, counts) = await PageAsync(step, ct);
        var nextStep = next ?? (NextPhase(step.Phase) is { } phase ? new RebuildStep(run.Id, phase, null) : null);
        var progressed = run with
        {
            Incidents = run.Incidents + counts.Incidents,
            Manifests = run.Manifests + counts.Manifests,
            RowsChecked = run.RowsChecked + counts.Checked,
            RowsRewritten = run.RowsRewritten + counts.Rewritten,
            RowsRemoved = run.RowsRemoved + counts.Removed,
            Phase = nextStep?.Phase ?? run.Phase,
            Status = nextStep is null ? RebuildRun.Done : RebuildRun.Running,
            FinishedAt = nextStep is null ? time.GetUtcNow() : null,
            UpdatedAt = time.GetUtcNow(),
        };
        var queued = nextStep is null ? null : (await Steps.SendMessageAsync(BinaryData.FromObjectAsJson(nextStep, QueueJson.Options), timeToLive: QueueSend.NeverExpires,
            cancellationToken: ct)).Value;
        try
        {
            await Runs.UpdateEntityAsync(Row(progressed, nextStep?.Cursor), stored.Value!.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // A copy of this step got there first: withdraw the step this one queued.
            if (queued is not null) await Steps.DeleteMessageAsync(queued.MessageId, queued.PopReceipt, ct);
            return;
        }
        LedgerLog.RebuildPage(logger, run.Id, step.Phase, counts.Incidents, counts.Removed);
    }

    private static string? NextPhase(string phase)
    {
        var i = Phases.ToList().IndexOf(phase);
        return i >= 0 && i + 1 < Phases.Count ? Phases[i + 1] : null;
    }

    private sealed record Counts(int Incidents = 0, int Manifests = 0, int Checked = 0, int Rewritten = 0, int Removed = 0);

    private async Task<(RebuildStep? Next, Counts Counts)> PageAsync(RebuildStep step, CancellationToken ct)
    {
        switch (step.Phase)
        {
            case "incidents":
            {
                var (incidents, next) = await ledger.IncidentsAsync(step.Cursor, PageSize, ct);
                foreach (var incident in incidents) await projector.CatchUpAsync(incident, null, everything: true, ct);
                return (Continue(step, next), new Counts(Incidents: incidents.Count));
            }
            case "manifests":
            {
                var (facts, count, next) = await manifests.MissingFactsAsync(step.Cursor, PageSize, ct);
                await rollups.RecordAsync(facts, ct);
                return (Continue(step, next), new Counts(Manifests: count));
            }
            case "sweep:rollups":
                return await SweepRollupsAsync(step, ct);
            default:
                var view = Projector.Views.First(v => "sweep:" + v.Name == step.Phase);
                return await SweepAsync(view, step, ct);
        }
    }

    private static RebuildStep? Continue(RebuildStep step, string? next) => next is null ? null : step with { Cursor = next };

    /// <summary>A page of a view's rows, each checked against its delivery's state on the ledger.</summary>
    private async Task<(RebuildStep?, Counts)> SweepAsync(RowView view, RebuildStep step, CancellationToken ct)
    {
        var (page, next) = await rows.PageAsync(view, step.Cursor, PageSize * 10, ct);
        var ledgers = new Dictionary<string, IncidentLedger>(StringComparer.Ordinal);
        var rewrite = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var removed = 0;
        foreach (var row in page)
        {
            if (view.Owner(row) is not var (incidentId, recipientId))
            {
                await rows.RemoveAsync(view, row, ct);
                removed++;
                continue;
            }
            if (!ledgers.TryGetValue(incidentId, out var current)) ledgers[incidentId] = current = await ledger.LoadAsync(incidentId, LedgerParts.None, null, ct);
            if (current.Delivery(recipientId) is not { } d)
            {
                await rows.RemoveAsync(view, row, ct);
                removed++;
            }
            else if (!view.Lists(d) || !RowViewWriter.SameRow(view.Row(d, current.Facts), row))
            {
                (rewrite.TryGetValue(incidentId, out var set) ? set : rewrite[incidentId] = new(StringComparer.Ordinal)).Add(recipientId);
            }
        }
        foreach (var (incidentId, recipients) in rewrite) await projector.CatchUpAsync(incidentId, recipients, false, ct);
        return (Continue(step, next), new Counts(Checked: page.Count, Rewritten: rewrite.Sum(r => r.Value.Count), Removed: removed));
    }

    /// <summary>A page of rollup cells, each fact checked against the ledger (or, missing at source, the manifests).</summary>
    private async Task<(RebuildStep?, Counts)> SweepRollupsAsync(RebuildStep step, CancellationToken ct)
    {
        var (cells, next) = await rollups.CellsAsync(step.Cursor, PageSize, ct);
        var ledgers = new Dictionary<string, IncidentLedger>(StringComparer.Ordinal);
        var (checkedFacts, rewritten, removed) = (0, 0, 0);
        foreach (var (la, rowKey, facts) in cells)
        {
            var gone = new List<string>();
            var rewrite = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var fact in facts)
            {
                checkedFacts++;
                if (fact.Kind == ShareKinds.MissingAtSource)
                {
                    if (!await manifests.StillMissingAsync(fact, ct)) gone.Add(fact.Key);
                    continue;
                }
                if (fact.IncidentId is not { } incidentId)
                {
                    gone.Add(fact.Key);
                    continue;
                }
                if (!ledgers.TryGetValue(incidentId, out var current))
                    ledgers[incidentId] = current = await ledger.LoadAsync(incidentId, LedgerParts.Unrouted, null, ct);
                if (current.Facts is not { } incident) { gone.Add(fact.Key); continue; }
                if (fact.Kind == ShareKinds.Unrouted)
                {
                    var share = current.Unrouted.FirstOrDefault(u => fact.Key == $"u:{incidentId}:{u.Key}");
                    if (share is null) gone.Add(fact.Key);
                    else if (!ShareFacts.SameFacts(ShareFacts.OfUnrouted(incidentId, share, incident, 0), fact with { Version = 0 }))
                        (rewrite.TryGetValue(incidentId, out var s) ? s : rewrite[incidentId] = new(StringComparer.Ordinal)).Add("");
                    continue;
                }
                var recipientId = fact.OrganisationId;
                if (recipientId is null || current.Delivery(recipientId) is not { } d) { gone.Add(fact.Key); continue; }
                if (!ShareFacts.SameFacts(ShareFacts.OfDelivery(d, incident, 0), fact with { Version = 0 }))
                    (rewrite.TryGetValue(incidentId, out var set) ? set : rewrite[incidentId] = new(StringComparer.Ordinal)).Add(recipientId);
            }
            if (gone.Count > 0) await rollups.RemoveAsync(la, rowKey, gone, ct);
            removed += gone.Count;
            foreach (var (incidentId, recipients) in rewrite)
            {
                await projector.CatchUpAsync(incidentId, null, everything: true, ct);
                rewritten += recipients.Count;
            }
        }
        return (Continue(step, next), new Counts(Checked: checkedFacts, Rewritten: rewritten, Removed: removed));
    }

    private static TableEntity Row(RebuildRun run, string? cursor) => new(Partition, run.Id)
    {
        ["Status"] = run.Status,
        ["Phase"] = run.Phase,
        ["Cursor"] = cursor,
        ["StartedAt"] = run.StartedAt,
        ["StartedBy"] = run.StartedBy,
        ["FinishedAt"] = run.FinishedAt,
        ["Incidents"] = run.Incidents,
        ["Manifests"] = run.Manifests,
        ["RowsChecked"] = run.RowsChecked,
        ["RowsRewritten"] = run.RowsRewritten,
        ["RowsRemoved"] = run.RowsRemoved,
        ["UpdatedAt"] = run.UpdatedAt,
    };

    private static RebuildRun Read(TableEntity e) =>
        new(e.RowKey, e.GetString("Status") ?? RebuildRun.Running, e.GetString("Phase") ?? "", e.GetDateTimeOffset("StartedAt") ?? default,
            e.GetString("StartedBy") ?? "", e.GetDateTimeOffset("FinishedAt"), e.GetInt32("Incidents") ?? 0, e.GetInt32("Manifests") ?? 0,
            e.GetInt32("RowsChecked") ?? 0, e.GetInt32("RowsRewritten") ?? 0, e.GetInt32("RowsRemoved") ?? 0,
            e.GetDateTimeOffset("UpdatedAt") ?? e.GetDateTimeOffset("StartedAt") ?? default);
}
