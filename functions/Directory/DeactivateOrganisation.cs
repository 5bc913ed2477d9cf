using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/organisations/{id}/deactivate</c> (admin, no body; <c>If-Match</c> honoured): the organisation
/// stays in the directory, marked inactive, and routing no longer finds it. A GIAS re-import does not reactivate it.
/// </summary>
public sealed class DeactivateOrganisation(DirectoryStore store, AuditTrail audit)
{
    [Function(nameof(DeactivateOrganisation))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/organisations/{id}/deactivate")] HttpRequest request, string id)
    {
        var result = await store.UpdateAsync(id, OrganisationApi.IfMatch(request),
            current => current.Organisation with { Active = false },
            request.HttpContext.RequestAborted,
            entity => entity[OrganisationEntity.DeactivatedBy] = OrganisationEntity.SourceAdmin);
        await OrganisationApi.AuditAsync(audit, request, AuditActions.OrganisationDeactivated, id, result);
        return OrganisationApi.Answer(request.HttpContext, id, result);
    }
}
