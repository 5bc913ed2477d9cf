using Microsoft.Azure.Functions.Worker;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// Timer <c>%SlaMonitorSchedule%</c> (every minute): marks late every delivery not acknowledged by its due time and
/// escalates those still unacknowledged, once each (a reminder to the recipient, an alert to the partnership's escalation
/// contact). It judges as of the moment it runs, whatever the timer's schedule status says: it reads every delivery still
/// awaiting judgement whose due time has passed, from the awaiting view — not a window since its last run, so a run the
/// host makes at start for an occurrence missed while it was stopped (past due, hours ago perhaps) judges up to now.
/// </summary>
public sealed class SlaMonitor(LatenessMonitor monitor)
{
    public const string ScheduleSetting = "SlaMonitorSchedule";

    [Function(nameof(SlaMonitor))]
    public Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct) => monitor.RunAsync(asOf: null, ct);
}
