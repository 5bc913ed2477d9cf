using Microsoft.Azure.Functions.Worker;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// Timer <c>%SlaMonitorSchedule%</c> (every minute): marks late every delivery not acknowledged by its due time and
/// escalates it once (a reminder to the recipient, an alert to the partnership's escalation contact). It reads only the
/// deliveries falling due since its last run, from the due-time index — not a scan of every delivery.
/// </summary>
public sealed class SlaMonitor(LatenessMonitor monitor)
{
    public const string ScheduleSetting = "SlaMonitorSchedule";

    [Function(nameof(SlaMonitor))]
    public Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct) => monitor.RunAsync(asOf: null, ct);
}
