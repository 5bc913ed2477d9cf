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

    /// <summary>
    /// On start (TimerListener.StartAsync): a monitored timer whose stored Next has passed runs now
    /// as past due; otherwise runOnStartup runs it; otherwise it waits for its next occurrence.
    /// </summary>
    public static StartupDecision OnStartup(ScheduleStatus? stored, DateTimeOffset now, bool useMonitor, bool runOnStartup)
    {
        if (useMonitor && stored is not null && stored.Next < now)
            return new StartupDecision(StartupAction.RunPastDue, stored.Next);
        return runOnStartup ? new StartupDecision(StartupAction.RunOnStartup) : new StartupDecision(StartupAction.None);
    }

    /// <summary>An occurrence may be fired only if no instance has recorded it (or a later one) as run.</summary>
    public static bool CanClaim(ScheduleStatus? stored, DateTimeOffset occurrence) =>
        stored is null || stored.Last < occurrence;

    /// <summary>
    /// The status recorded when <paramref name="occurrence"/> runs at <paramref name="now"/>: Last is the
    /// occurrence, Next the first occurrence after now — so a past-due run catches up once, not once per
    /// missed occurrence (TimerListener.InvokeJobFunction).
    /// </summary>
    public static ScheduleStatus AfterRun(CrontabSchedule schedule, DateTimeOffset occurrence, DateTimeOffset now)
    {
        var from = now > occurrence ? now : occurrence;
        return new(occurrence, NextOccurrence(schedule, from), now);
    }

    /// <summary>How long to sleep before checking again for <paramref name="next"/>: never past it, never more than <see cref="MaxWait"/>.</summary>
    public static TimeSpan WaitBefore(DateTimeOffset next, DateTimeOffset now)
    {
        var wait = next - now;
        if (wait <= TimeSpan.Zero) return TimeSpan.Zero;
        return wait < MaxWait ? wait : MaxWait;
    }
}
