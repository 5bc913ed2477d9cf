using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>PUT /api/admin/organisations/{id}</c> (admin): replaces the organisation with the body (the same fields as
/// create; <c>active</c> optional, kept when left out). With <c>If-Match</c>, 412 when the organisation changed
/// since that ETag was read. The directory index follows the new keys.
/// </summary>
public static class UpdateOrganisation
{
    private const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/admin/organisations/{id}", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(UpdateOrganisation));

    private static async Task<IResult> HandleAsync(string id, HttpContext context, DirectoryStore store)
    {
        var (replacement, problem) = await JsonBody.ReadValidatedAsync(context.Request, MaxBodyBytes,
            body => OrganisationValidator.ValidateReplacement(body, id), context.RequestAborted);
        if (problem is not null) return problem;

        var result = await store.UpdateAsync(id, OrganisationApi.IfMatch(context.Request),
            current => replacement!.Organisation with { Active = replacement.Active ?? current.Organisation.Active },
            context.RequestAborted,
            entity =>
            {
                if (entity.GetBoolean("Active") == true) entity.Remove(OrganisationEntity.DeactivatedBy);
                else entity.TryAdd(OrganisationEntity.DeactivatedBy, OrganisationEntity.SourceAdmin);
            });
        return OrganisationApi.Answer(context, id, result);
    }
}
