using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Incidents;

namespace NotifyHub.Functions;

/// <summary><c>GET /api/incidents/{force}/{reference}</c>: a force sees the status of its own incidents, and only its own.</summary>
public static class GetIncidentStatus
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/incidents/{force}/{reference}", HandleAsync).RequireAuthorization(Roles.Police).AsFunction(nameof(GetIncidentStatus));

    private static async Task<IResult> HandleAsync(string force, string reference, HttpContext context, IncidentStore store)
    {
        var caller = context.Caller();
        if (!string.Equals(force, caller.ForceCode, StringComparison.Ordinal))
        {
            return Problems.Forbidden($"This API key belongs to force {caller.ForceCode} and can only read its incidents.");
        }
        var status = await store.GetStatusAsync(force, reference, context.RequestAborted);
        return status is null
            ? Problems.NotFound($"Force {force} has no incident with reference {reference}.")
            : TypedResults.Ok(status);
    }
}
