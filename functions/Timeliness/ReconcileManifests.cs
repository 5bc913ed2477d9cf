using Microsoft.Azure.Functions.Worker;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// Timer <c>%ReconcileManifestsSchedule%</c> (hourly): checks again every manifest of the last 14 days that still lists
/// references the hub never received; a reference that has arrived since stops counting as missing at source.
/// </summary>
public sealed class ReconcileManifests(ManifestStore manifests, ILogger<ReconcileManifests> logger)
{
    public const string ScheduleSetting = "ReconcileManifestsSchedule";
    public const int Days = 14;

    [Function(nameof(ReconcileManifests))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        foreach (var result in await manifests.ReconcileRecentAsync(Days, ct))
        {
            TimelinessLog.ManifestReconciled(logger, result.ForceCode, result.Date, result.Listed, result.MissingAtSource.Count);
        }
    }
}
