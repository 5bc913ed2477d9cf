using Microsoft.Azure.Functions.Worker;
using NotifyHub.Ledger;

namespace NotifyHub.Functions;

/// <summary>
/// Timer (app setting <c>ProjectLedgerSchedule</c>, every minute by default): brings up to date the views of every incident
/// noted as possibly lagging (<see cref="ProjectionHints"/>) — a request that died after its commit, an apply that failed —
/// from its checkpoint: the events since are applied and their messages sent. A note goes once its incident is caught up
/// past it (or, if the commit it announced never came, once that can no longer happen). So a crash or an exception after
/// any commit delays a view by a minute or two, and never leaves it wrong.
/// </summary>
public sealed class ProjectLedger(ProjectionHints hints, LedgerStore ledger, Projector projector, TimeProvider time, ILogger<ProjectLedger> logger)
{
    public const string ScheduleSetting = "ProjectLedgerSchedule";

    [Function(nameof(ProjectLedger))]
    public async Task RunAsync([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct)
    {
        var (noted, caughtUp, cleared) = (0, 0, 0);
        await foreach (var hint in hints.ListAsync(ct))
        {
            noted++;
            var current = await ledger.LoadAsync(hint.IncidentId, LedgerParts.None, null, ct);
            if (current.Lagging)
            {
                if (!await projector.CatchUpAsync(hint.IncidentId, null, false, ct)) continue;
                caughtUp++;
                current = await ledger.LoadAsync(hint.IncidentId, LedgerParts.None, null, ct);
            }
            var committedSince = current.Version > hint.Above;
            if (!current.Lagging && (committedSince || time.GetUtcNow() - hint.Since > ProjectionHints.CommitWindow))
            {
                await hints.ClearAsync(hint, ct);
                cleared++;
            }
        }
        LedgerLog.Projected(logger, noted, caughtUp, cleared);
    }
}
