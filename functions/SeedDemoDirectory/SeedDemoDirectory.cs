using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/directory/demo</c> (admin, no body): seeds the synthetic demo directory of LA 840 (see
/// <see cref="DemoDirectory"/>) so that <c>docs/examples/incident.json</c> routes to real recipients. Idempotent:
/// it sets each demo organisation to its demo definition and reports which were created, updated or unchanged.
/// </summary>
public static class SeedDemoDirectory
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/admin/directory/demo", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(SeedDemoDirectory));

    private static async Task<IResult> HandleAsync(HttpContext context, DirectoryStore store) =>
        TypedResults.Ok(await DemoDirectory.SeedAsync(store, context.RequestAborted));
}
