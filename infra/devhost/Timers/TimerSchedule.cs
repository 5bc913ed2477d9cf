using NCrontab;
using NotifyHub.DevHost.Handler;

namespace NotifyHub.DevHost.Timers;

internal enum StartupAction { None, RunPastDue, RunOnStartup }

/// <summary>What a timer does when its listener starts, and when it fires an occurrence.</summary>
internal readonly record struct StartupDecision(StartupAction Action, DateTimeOffset? PastDueOccurrence = null);

/// <summary>The timer's decisions as pure functions over the schedule, the stored status and the time (all UTC).</summary>
internal static class TimerSchedule
{
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

    /// <summary>The status recorded once <paramref name="occurrence"/> has been claimed.</summary>
    public static ScheduleStatus AfterRun(CrontabSchedule schedule, DateTimeOffset occurrence, DateTimeOffset now) =>
        new(occurrence, NextOccurrence(schedule, occurrence), now);
}
