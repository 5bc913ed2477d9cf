using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Ledger;

namespace NotifyHub.Functions;

/// <summary><c>GET /api/admin/views/rebuild/{id}</c> (admin): how far a rebuild of the views has got — its phase, counts, and whether it is done.</summary>
public sealed class GetViewRebuild(ViewRebuild rebuild)
{
    [Function(nameof(GetViewRebuild))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/views/rebuild/{id}")] HttpRequest request, string id)
    {
        var run = id.Length is > 0 and <= 19 && id.All(char.IsAsciiDigit) ? await rebuild.GetAsync(id, request.HttpContext.RequestAborted) : null;
        return run is null ? Problems.NotFound($"There is no rebuild {id}.") : TypedResults.Ok(run);
    }
}
