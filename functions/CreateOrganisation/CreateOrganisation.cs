using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary><c>POST /api/admin/organisations</c> (admin): adds an organisation to the directory.</summary>
public static class CreateOrganisation
{
    private const int MaxBodyBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/admin/organisations", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(CreateOrganisation));

    private static async Task<IResult> HandleAsync(HttpContext context, OrganisationStore store)
    {
        var (document, problem) = await JsonBody.ReadAsync(context.Request, MaxBodyBytes, context.RequestAborted);
        if (problem is not null) return problem;
        using (document)
        {
            var validated = OrganisationValidator.ValidateNew(document!.RootElement);
            if (!validated.IsValid) return Problems.Invalid(validated.Errors);
            var organisation = validated.Value!;
            if (!await store.AddAsync(organisation, context.RequestAborted))
                return Problems.Conflict($"An organisation with id {organisation.Id} already exists.");
            return TypedResults.Created($"/api/admin/organisations/{organisation.Id}", organisation);
        }
    }
}
