using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
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
public sealed class UpdateOrganisation(DirectoryStore store, AuditTrail audit)
{
    private const int MaxBodyBytes = 64 * 1024;

    [Function(nameof(UpdateOrganisation))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/organisations/{id}")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var (replacement, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes,
            body => OrganisationValidator.ValidateReplacement(body, id), ct);
        if (problem is not null) return problem;

        var result = await store.UpdateAsync(id, OrganisationApi.IfMatch(request),
            current => replacement!.Organisation with { Active = replacement.Active ?? current.Organisation.Active },
            ct,
            entity =>
            {
                if (entity.GetBoolean("Active") == true) entity.Remove(OrganisationEntity.DeactivatedBy);
                else entity.TryAdd(OrganisationEntity.DeactivatedBy, OrganisationEntity.SourceAdmin);
            });
        await OrganisationApi.AuditAsync(audit, request, AuditActions.OrganisationChanged, id, result);
        return OrganisationApi.Answer(request.HttpContext, id, result);
    }
}
