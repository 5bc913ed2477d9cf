using Azure;
using NotifyHub.Domain.Ledger;

namespace NotifyHub.Ledger;

/// <summary>
/// The one way to change an incident's ledger: read it, decide (a pure function of what is stored), commit conditionally
/// on its head, and apply the views. A conflict (another writer committed first) or a storage failure reads again and
/// decides again — a commit that did land before its answer was lost is then found done, not made twice.
/// </summary>
public sealed class LedgerWriter(LedgerStore store, Projector projector, ProjectionHints hints, TimeProvider time, ILogger<LedgerWriter> logger)
{
    private const int MaxConflicts = 20;
    private const int MaxFailures = 3;

    /// <summary>How a change is made.</summary>
    /// <param name="NoteFirst">
    /// Notes the incident for <c>ProjectLedger</c> before committing: for a writer nobody retries if it dies after its commit
    /// (an HTTP request). The views are then sure to follow even if this process does not get to apply them.
    /// </param>
    /// <param name="KeepCommitOnApplyFailure">
    /// A failure to apply after the commit is logged and left to <c>ProjectLedger</c> rather than thrown: the change is
    /// stored, and the caller must not be told otherwise (an HTTP answer). Queue and timer writers throw, so the host retries.
    /// </param>
    public sealed record Options(bool NoteFirst = false, bool KeepCommitOnApplyFailure = false)
    {
        public static readonly Options Retried = new();
        public static readonly Options Request = new(NoteFirst: true, KeepCommitOnApplyFailure: true);
    }

    /// <summary>
    /// Makes the change <paramref name="decide"/> decides on the incident's ledger as stored (null or an empty write: none),
    /// and applies it. Answers what was committed (no events when nothing changed).
    /// </summary>
    public async Task<Committed> ChangeAsync(string incidentId, LedgerParts parts, IReadOnlyCollection<string>? contentFor,
        Func<IncidentLedger, LedgerWrite?> decide, Options options, CancellationToken ct)
    {
        var current = await store.LoadAsync(incidentId, parts, contentFor, ct);
        var committed = await CommitAsync(current, decide, options, () => store.LoadAsync(incidentId, parts, contentFor, ct), ct);
        await ApplyAsync(committed, options, ct);
        return committed;
    }

    /// <summary>
    /// Commits what <paramref name="decide"/> decides on <paramref name="current"/>, deciding again on the ledger as
    /// <paramref name="reload"/> reads it after a conflict or a failure. Does not apply the views: the caller does, once
    /// (<see cref="ApplyAsync"/>), for all it committed.
    /// </summary>
    public async Task<Committed> CommitAsync(IncidentLedger current, Func<IncidentLedger, LedgerWrite?> decide, Options options,
        Func<Task<IncidentLedger>> reload, CancellationToken ct)
    {
        var failures = 0;
        for (var conflicts = 0; ;)
        {
            var write = decide(current);
            if (write is null || write.IsEmpty) return new Committed(current, current, []);
            if (options.NoteFirst) await hints.NoteAsync(current.IncidentId, current.Version, ct);
            try
            {
                if (await store.TryCommitAsync(current, write, time.GetUtcNow(), ct) is { } committed) return committed;
                if (++conflicts >= MaxConflicts)
                    throw new InvalidOperationException($"Incident {current.IncidentId}'s ledger kept changing while a change was made; try again.");
                LedgerLog.Conflict(logger, current.IncidentId, current.Version);
            }
            catch (Exception e) when (IsTransient(e, ct) && ++failures < MaxFailures)
            {
                // The commit may or may not have landed: read again, and the decision will see which.
                LedgerLog.CommitFailed(logger, e, current.IncidentId, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(4, failures - 1)), time, ct);
            }
            current = await reload();
        }
    }

    /// <summary>Applies what was committed (and anything before it not yet applied).</summary>
    public async Task ApplyAsync(Committed committed, Options options, CancellationToken ct)
    {
        // A request's change is stored: a caller that hangs up does not stop its views.
        var token = options.KeepCommitOnApplyFailure ? CancellationToken.None : ct;
        try
        {
            await projector.ApplyAsync(committed, token);
        }
        catch (Exception e) when (!token.IsCancellationRequested)
        {
            LedgerLog.ApplyFailed(logger, e, committed.After.IncidentId, committed.After.Version);
            // The note goes once the views pass it. A writer that committed nothing new (its apply was catching up another's
            // commits) notes one below the version it read: those commits are in, so nothing more is awaited, and the note
            // must not wait out the commit window as one made before a commit does.
            await hints.TryNoteAsync(committed.After.IncidentId, Math.Min(committed.Before.Version, committed.After.Version - 1));
            if (!options.KeepCommitOnApplyFailure) throw;
        }
    }

    /// <summary>Two commits of one writer, one after the other, as one: what was read before the first, what the last committed.</summary>
    public static Committed Combine(Committed first, Committed second) => new(first.Before, second.After, [.. first.Events, .. second.Events]);

    /// <summary>A storage failure that may pass (or may have happened after the write landed): worth reading again and deciding again.</summary>
    public static bool IsTransient(Exception e, CancellationToken ct) => !ct.IsCancellationRequested && e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or TimeoutException or TaskCanceledException or IOException => true,
        _ => false,
    };
}

internal static partial class LedgerLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Ledger of {IncidentId} changed under a writer at version {Version}; deciding again")]
    public static partial void Conflict(ILogger logger, string incidentId, long version);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "A commit to the ledger of {IncidentId} failed (try {Try}); reading again")]
    public static partial void CommitFailed(ILogger logger, Exception exception, string incidentId, int @try);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Applying the ledger of {IncidentId} at version {Version} failed; ProjectLedger will finish it")]
    public static partial void ApplyFailed(ILogger logger, Exception exception, string incidentId, long version);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Another applier moved the checkpoint of {IncidentId} (version {Version}); applying again")]
    public static partial void ApplyRaced(ILogger logger, string incidentId, long version);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Views of {IncidentId} caught up from version {From} to {Through}")]
    public static partial void CaughtUp(ILogger logger, string incidentId, long from, long through);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "ProjectLedger: {Noted} incidents noted, {CaughtUp} caught up, {Cleared} notes cleared")]
    public static partial void Projected(ILogger logger, int noted, int caughtUp, int cleared);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Error, Message = "A view-rebuilds message could not be read (dequeue count {DequeueCount}); it is discarded")]
    public static partial void UnreadableStep(ILogger logger, long dequeueCount);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Information, Message = "View rebuild {RunId}: {Phase} page done ({Incidents} incidents, {Removed} rows removed)")]
    public static partial void RebuildPage(ILogger logger, string runId, string phase, int incidents, int removed);
}
