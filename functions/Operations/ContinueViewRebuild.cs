using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Ledger;
using NotifyHub.Storage;
using NotifyHub.Telemetry;

namespace NotifyHub.Functions;

/// <summary>Queue <c>view-rebuilds</c>: one step of a rebuild of the views (<see cref="ViewRebuild"/>): a page of its phase, then the next step.</summary>
public sealed class ContinueViewRebuild(ViewRebuild rebuild, HubMetrics metrics, ILogger<ContinueViewRebuild> logger)
{
    [Function(nameof(ContinueViewRebuild))]
    public async Task RunAsync([QueueTrigger(StorageNames.ViewRebuildsQueue)] string message, long dequeueCount, CancellationToken ct)
    {
        RebuildStep? step;
        try { step = JsonSerializer.Deserialize<RebuildStep>(message, QueueJson.Options); }
        catch (JsonException) { step = null; }
        if (step is not { RunId.Length: > 0, Phase.Length: > 0 } || !ViewRebuild.Phases.Contains(step.Phase))
        {
            LedgerLog.UnreadableStep(logger, dequeueCount);
            metrics.Poisoned(nameof(ContinueViewRebuild), "unreadable");
            return;
        }
        await rebuild.StepAsync(step, ct);
    }
}
