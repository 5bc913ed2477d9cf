using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Retention;

namespace NotifyHub.Functions;

/// <summary>
/// Timer (app setting <c>PurgePersonalDataSchedule</c>, daily at 02:30 by default): purges the personal data of
/// incidents routed more than <c>Retention:PersonalDataAfter</c> ago (90 days by default) and of their deliveries,
/// and child-history records past their period, keeping the facts timeliness reports need. What it purged is logged
/// and audited, as counts.
/// </summary>
public sealed class PurgePersonalData(PersonalDataPurge purge, AuditTrail audit, ILogger<PurgePersonalData> logger)
{
    public const string ScheduleSetting = "PurgePersonalDataSchedule";

    [Function(nameof(PurgePersonalData))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        var report = await purge.RunAsync(ct);
        RetentionLog.Purged(logger, report.Incidents, report.Deliveries, report.ChildHistoryRecords);
        if (report.Any)
            await audit.RecordAsync(AuditActor.Hub(nameof(PurgePersonalData)), AuditActions.PersonalDataPurged, [], report, ct);
    }
}
