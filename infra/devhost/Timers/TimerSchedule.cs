using NCrontab;

namespace NotifyHub.DevHost.Timers;

/// <summary>A timer's persisted schedule status, as the host's StorageScheduleMonitor keeps it.</summary>
internal sealed record ScheduleStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);

internal enum StartupAction { None, RunPastDue, RunOnStartup }

/// <summary>What a timer does when its listener starts.</summary>
internal readonly record struct StartupDecision(StartupAction Action, DateTimeOffset? PastDueOccurrence = null);

/// <summary>The timer's decisions as pure functions over the schedule, the stored status and the time (all UTC).</summary>
internal static class TimerSchedule
{
    /// <summary>The longest single wait: Task.Delay refuses more than about 49.7 days, and a yearly schedule waits longer.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    public static DateTimeOffset NextOccurrence(CrontabSchedule schedule, DateTimeOffset after) =>
        new(DateTime.SpecifyKind(schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));

    /// <summary>useMonitor defaults to true when the schedule recurs at most once a minute.</summary>
    public static bool UseMonitor(CrontabSchedule schedule, bool? configured, DateTimeOffset now)
    {
        if (configured is { } value) return value;
        var first = NextOccurrence(schedule, now);
        return NextOccurrence(schedule, first) - first >= TimeSpan.FromMinutes(1);
    }

    /// <summary>The host's "never" (ScheduleMonitor.DefaultDateTime, in UTC): a Last or LastUpdated not yet recorded.</summary>
    public static readonly DateTimeOffset Never = DateTimeOffset.MinValue;

    /// <summary>Values within a year of <see cref="Never"/> count as unset, as the host reads them.</summary>
    private static bool IsSet(DateTimeOffset value) => value > Never.AddYears(1);

    /// <summary>
    /// The status a monitored timer holds when its listener starts (ScheduleMonitor.CheckPastDueAsync), and whether it
    /// must be written back: none yet gives an initial status for the next occurrence; a recorded Next that the
    /// schedule no longer gives (from Last, else LastUpdated) means the schedule changed, so Next is recomputed — from
    /// now if the recomputed one has already passed, so a schedule change alone never makes a timer past due.
    /// </summary>
    public static (ScheduleStatus Status, bool Changed) AtStart(CrontabSchedule schedule, ScheduleStatus? stored, DateTimeOffset now)
    {
        if (stored is null) return (new ScheduleStatus(Never, NextOccurrence(schedule, now), now), true);
        var from = IsSet(stored.Last) ? stored.Last : IsSet(stored.LastUpdated) ? stored.LastUpdated : now;
        var expected = NextOccurrence(schedule, from);
        if (stored.Next == expected) return (stored, false);
        if (now > expected) (expected, from) = (NextOccurrence(schedule, now), now);
        return (new ScheduleStatus(Never, expected, from), true);
    }

    /// <summary>
    /// On start (TimerListener.StartAsync): a monitored timer whose Next (after <see cref="AtStart"/>) has passed runs
    /// now as past due; otherwise runOnStartup runs it; otherwise it waits for its next occurrence.
    /// </summary>
    public static StartupDecision OnStartup(ScheduleStatus? status, DateTimeOffset now, bool useMonitor, bool runOnStartup)
    {
        if (useMonitor && status is not null && now > status.Next)
            return new StartupDecision(StartupAction.RunPastDue, status.Next);
        return runOnStartup ? new StartupDecision(StartupAction.RunOnStartup) : new StartupDecision(StartupAction.None);
    }

    /// <summary>An occurrence may be fired only if no instance has recorded it (or a later one) as run.</summary>
    public static bool CanClaim(ScheduleStatus? stored, DateTimeOffset occurrence) =>
        stored is null || stored.Last < occurrence;

    /// <summary>
    /// The status recorded when a run for <paramref name="occurrence"/> starts at <paramref name="now"/>
    /// (TimerListener.InvokeJobFunction): Last and LastUpdated are the invocation time — moved forward to the
    /// occurrence if the timer woke a little early — and Next the first occurrence after that, so a past-due run
    /// catches up once, not once per missed occurrence. A run on start-up passes now as its occurrence.
    /// </summary>
    public static ScheduleStatus AfterRun(CrontabSchedule schedule, DateTimeOffset occurrence, DateTimeOffset now)
    {
        var at = now > occurrence ? now : occurrence;
        return new(at, NextOccurrence(schedule, at), at);
    }

    /// <summary>How long to sleep before checking again for <paramref name="next"/>: never past it, never more than <see cref="MaxWait"/>.</summary>
    public static TimeSpan WaitBefore(DateTimeOffset next, DateTimeOffset now)
    {
        var wait = next - now;
        if (wait <= TimeSpan.Zero) return TimeSpan.Zero;
        return wait < MaxWait ? wait : MaxWait;
    }
}
