using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/directory/demo</c> (admin, no body): seeds the synthetic demo directory of LA 840 (see
/// <see cref="DemoDirectory"/>) so that <c>docs/examples/incident.json</c> routes to real recipients. Idempotent:
/// it sets each demo organisation to its demo definition and reports which were created, updated or unchanged.
/// </summary>
public sealed class SeedDemoDirectory(DirectoryStore store)
{
    [Function(nameof(SeedDemoDirectory))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/directory/demo")] HttpRequest request) =>
        TypedResults.Ok(await DemoDirectory.SeedAsync(store, request.HttpContext.RequestAborted));
}
