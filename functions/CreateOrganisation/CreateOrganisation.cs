using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/organisations</c> (admin): adds an organisation to the directory, with its
/// identifiers, contacts, channel, school day start, calendar and (health teams) coverage, and makes it
/// findable by routing. Answers 201 with the organisation and its ETag.
/// </summary>
public static class CreateOrganisation
{
    private const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/admin/organisations", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(CreateOrganisation));

    private static async Task<IResult> HandleAsync(HttpContext context, DirectoryStore store)
    {
        var (organisation, problem) = await JsonBody.ReadValidatedAsync(context.Request, MaxBodyBytes, OrganisationValidator.ValidateNew, context.RequestAborted);
        if (problem is not null) return problem;

        var result = await store.CreateAsync(organisation!, OrganisationEntity.SourceAdmin, context.RequestAborted);
        return result.Status == SaveStatus.Saved
            ? OrganisationApi.Created(context, result.Stored!)
            : Problems.Conflict($"An organisation with id {organisation!.Id} already exists.");
    }
}
