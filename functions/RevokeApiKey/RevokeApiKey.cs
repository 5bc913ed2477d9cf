using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary><c>DELETE /api/admin/organisations/{id}/keys/{keyId}</c> (admin): revokes a key (it stops working within 30 s).</summary>
public sealed class RevokeApiKey(ApiKeyStore keys)
{
    [Function(nameof(RevokeApiKey))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "admin/organisations/{id}/keys/{keyId}")] HttpRequest request, string id, string keyId) =>
        await keys.RevokeAsync(id, keyId, request.HttpContext.RequestAborted)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Organisation {id} has no key {keyId}.");
}
