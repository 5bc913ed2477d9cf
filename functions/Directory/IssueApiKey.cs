using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/organisations/{id}/keys</c> (admin): issues an API key for an organisation — role
/// <c>police</c> for a police force (submits incidents), <c>recipient</c> for every organisation that receives
/// notifications (reads its inbox, acknowledges), <c>partnership</c> for a partnership lead (timeliness reports and the
/// dashboard for its LAs). The key is in this answer only; the hub keeps just its hash.
/// </summary>
public sealed class IssueApiKey(DirectoryStore organisations, ApiKeyStore keys, AuditTrail audit)
{
    public sealed record Issued(string KeyId, string ApiKey, string OrganisationId, string Role, DateTimeOffset CreatedAt);

    [Function(nameof(IssueApiKey))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/organisations/{id}/keys")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var organisation = await organisations.GetAsync(id, ct);
        if (organisation is null) return Problems.NotFound($"There is no organisation with id {id}.");
        if (!organisation.Active) return Problems.Conflict($"Organisation {id} is deactivated.");
        var role = organisation.Type switch
        {
            OrganisationTypes.PoliceForce => Roles.Police,
            OrganisationTypes.PartnershipLead => Roles.Partnership,
            _ => Roles.Recipient,
        };
        var issued = await keys.IssueAsync(organisation.Id, role, role == Roles.Police ? organisation.ForceCode : null, ct);
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.ApiKeyIssued, [organisation.Id, issued.KeyId],
            new { role = issued.Caller.Role }, ct);
        return TypedResults.Created($"/api/admin/organisations/{id}/keys/{issued.KeyId}",
            new Issued(issued.KeyId, issued.Secret, organisation.Id, issued.Caller.Role, issued.CreatedAt));
    }
}
