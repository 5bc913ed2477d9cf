using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/rollups/rebuild</c> (admin): rebuilds the reports' rollups from the raw records (every delivery,
/// unrouted share and manifest) — after a restore, or if an update was ever lost. Safe to run at any time.
/// </summary>
public sealed class RebuildRollups(RollupRebuild rebuild, AuditTrail audit)
{
    [Function(nameof(RebuildRollups))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/rollups/rebuild")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var result = await rebuild.RebuildAsync(ct);
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.RollupsRebuilt, ["rollups"], result, ct);
        return TypedResults.Ok(result);
    }
}
