using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/directory/demo</c> (admin, no body): in demo mode only (<c>Directory__DemoMode=true</c>), creates
/// the synthetic demo directory (see <see cref="DemoDirectory"/>) so that <c>docs/examples/incident.json</c> routes
/// to recipients, and LA 998's path through its front door (its schools' shares reviewed by its MASH). Creates what is absent and never overwrites; reports what it created and what was already there.
/// With demo mode off it answers 404 and writes nothing.
/// </summary>
public sealed class SeedDemoDirectory(DirectoryStore store, AreaPathStore paths, IOptions<DirectoryOptions> options, AuditTrail audit)
{
    [Function(nameof(SeedDemoDirectory))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/directory/demo")] HttpRequest request)
    {
        if (!options.Value.DemoMode)
            return Problems.NotFound("Demo mode is off: the demo directory exists only where Directory__DemoMode is true (never in production).");
        var report = await DemoDirectory.SeedAsync(store, paths, request.HttpContext.RequestAborted);
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.DemoSeeded, report.Created,
            new { created = report.Created.Count, alreadyPresent = report.AlreadyPresent.Count, refused = report.Refused.Count }, request.HttpContext.RequestAborted);
        return TypedResults.Ok(report);
    }
}
