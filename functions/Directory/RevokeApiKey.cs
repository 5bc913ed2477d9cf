using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary><c>DELETE /api/admin/organisations/{id}/keys/{keyId}</c> (admin): revokes a key (it stops working within 30 s).</summary>
public sealed class RevokeApiKey(ApiKeyStore keys, AuditTrail audit)
{
    [Function(nameof(RevokeApiKey))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/admin/organisations/{id}/keys/{keyId}")] HttpRequest request, string id, string keyId)
    {
        var ct = request.HttpContext.RequestAborted;
        if (!await keys.RevokeAsync(id, keyId, ct)) return Problems.NotFound($"Organisation {id} has no key {keyId}.");
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.ApiKeyRevoked, [id, keyId], null, ct);
        return TypedResults.NoContent();
    }
}
