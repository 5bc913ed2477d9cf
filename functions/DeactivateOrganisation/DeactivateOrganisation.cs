using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/organisations/{id}/deactivate</c> (admin, no body; <c>If-Match</c> honoured): the organisation
/// stays in the directory, marked inactive, and routing no longer finds it. A GIAS re-import does not reactivate it.
/// </summary>
public static class DeactivateOrganisation
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/admin/organisations/{id}/deactivate", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(DeactivateOrganisation));

    private static async Task<IResult> HandleAsync(string id, HttpContext context, DirectoryStore store)
    {
        var result = await store.UpdateAsync(id, OrganisationApi.IfMatch(context.Request),
            current => current.Organisation with { Active = false },
            context.RequestAborted,
            entity => entity[OrganisationEntity.DeactivatedBy] = OrganisationEntity.SourceAdmin);
        return OrganisationApi.Answer(context, id, result);
    }
}
