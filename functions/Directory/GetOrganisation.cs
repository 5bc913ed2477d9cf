using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary><c>GET /api/admin/organisations/{id}</c> (admin): the organisation, with its ETag for a later If-Match.</summary>
public sealed class GetOrganisation(DirectoryStore store)
{
    [Function(nameof(GetOrganisation))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/organisations/{id}")] HttpRequest request, string id) =>
        await store.FindAsync(id, request.HttpContext.RequestAborted) is { } stored
            ? OrganisationApi.Ok(request.HttpContext, stored)
            : Problems.NotFound($"There is no organisation with id {id}.");
}
