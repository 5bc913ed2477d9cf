using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Ledger;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/views/rebuild</c> (admin): rebuilds every view — inboxes, the open, failed, awaiting and late lists,
/// the rollups — from the ledger, while the hub keeps running and without losing a change made meanwhile
/// (<see cref="ViewRebuild"/>). 202 with the run and where to follow it; 409 with the running one when a rebuild is already
/// under way. Audited.
/// </summary>
public sealed class StartViewRebuild(ViewRebuild rebuild, AuditTrail audit)
{
    [Function(nameof(StartViewRebuild))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/views/rebuild")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        var (run, started) = await rebuild.StartAsync(caller.OrganisationId, ct);
        if (!started) return Problems.Conflict($"A rebuild of the views is already running: {run.Id} (GET /api/admin/views/rebuild/{run.Id}).");
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.ViewsRebuildStarted, ["views", run.Id], new { run.Id }, ct);
        return TypedResults.Accepted($"/api/admin/views/rebuild/{run.Id}", run);
    }
}
