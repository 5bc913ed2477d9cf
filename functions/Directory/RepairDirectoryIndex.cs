using Microsoft.Azure.Functions.Worker;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// Timer (app setting <c>RepairDirectoryIndexSchedule</c>, every five minutes by default): re-adds the index rows
/// of any organisation whose write died part-way (its repair marker is more than a minute old), so routing can
/// always find every active organisation by its current keys.
/// </summary>
public sealed class RepairDirectoryIndex(DirectoryStore directory, ILogger<RepairDirectoryIndex> logger)
{
    public const string ScheduleSetting = "RepairDirectoryIndexSchedule";

    /// <summary>How old a marker must be before it counts as left behind (a live write takes well under a second).</summary>
    public static readonly TimeSpan LeftBehindAfter = TimeSpan.FromMinutes(1);

    [Function(nameof(RepairDirectoryIndex))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        var repaired = await directory.RepairIndexAsync(LeftBehindAfter, ct);
        if (repaired > 0) DirectoryLog.IndexRepaired(logger, repaired);
    }
}
