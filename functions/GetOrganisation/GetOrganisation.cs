using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary><c>GET /api/admin/organisations/{id}</c> (admin).</summary>
public static class GetOrganisation
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/admin/organisations/{id}", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(GetOrganisation));

    private static async Task<IResult> HandleAsync(string id, HttpContext context, OrganisationStore store) =>
        await store.GetAsync(id, context.RequestAborted) is { } organisation
            ? TypedResults.Ok(organisation)
            : Problems.NotFound($"There is no organisation with id {id}.");
}
