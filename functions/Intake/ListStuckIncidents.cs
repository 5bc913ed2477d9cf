using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Incidents;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/admin/incidents/stuck</c> (admin): every incident the hub gave up on routing, with why and since
/// when — ids, force codes and references only. Each stays listed until it is routed.
/// </summary>
public sealed class ListStuckIncidents(IncidentStore incidents)
{
    public sealed record Answer(IReadOnlyList<StuckIncident> Items);

    [Function(nameof(ListStuckIncidents))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/incidents/stuck")] HttpRequest request)
    {
        var items = new List<StuckIncident>();
        await foreach (var stuck in incidents.StuckAsync(request.HttpContext.RequestAborted)) items.Add(stuck);
        return TypedResults.Ok(new Answer(items.OrderBy(i => i.StuckAt).ToList()));
    }
}
