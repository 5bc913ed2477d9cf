using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary><c>GET /api/admin/organisations/{id}</c> (admin): the organisation, with its ETag for a later If-Match.</summary>
public static class GetOrganisation
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/admin/organisations/{id}", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(GetOrganisation));

    private static async Task<IResult> HandleAsync(string id, HttpContext context, DirectoryStore store) =>
        await store.FindAsync(id, context.RequestAborted) is { } stored
            ? OrganisationApi.Ok(context, stored)
            : Problems.NotFound($"There is no organisation with id {id}.");
}
