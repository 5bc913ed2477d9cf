using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/organisations/{id}/keys</c> (admin): issues an API key for an organisation.
/// The key is in this answer only; the hub keeps just its hash.
/// </summary>
public static class IssueApiKey
{
    public sealed record Issued(string KeyId, string ApiKey, string OrganisationId, string Role, DateTimeOffset CreatedAt);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/admin/organisations/{id}/keys", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(IssueApiKey));

    private static async Task<IResult> HandleAsync(string id, HttpContext context, DirectoryStore organisations, ApiKeyStore keys)
    {
        var organisation = await organisations.GetAsync(id, context.RequestAborted);
        if (organisation is null) return Problems.NotFound($"There is no organisation with id {id}.");
        if (!organisation.Active) return Problems.Conflict($"Organisation {id} is deactivated.");
        if (organisation.Type != OrganisationTypes.PoliceForce)
            return Problems.Conflict($"Organisation {id} is a {organisation.Type}; keys are issued to police forces for now.");

        var issued = await keys.IssueAsync(organisation.Id, Roles.Police, organisation.ForceCode, context.RequestAborted);
        return TypedResults.Created($"/api/admin/organisations/{id}/keys/{issued.KeyId}",
            new Issued(issued.KeyId, issued.Secret, organisation.Id, issued.Caller.Role, issued.CreatedAt));
    }
}
