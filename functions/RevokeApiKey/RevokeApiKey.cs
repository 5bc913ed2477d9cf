using NotifyHub.Auth;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary><c>DELETE /api/admin/organisations/{id}/keys/{keyId}</c> (admin): revokes a key (it stops working within 30 s).</summary>
public static class RevokeApiKey
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/admin/organisations/{id}/keys/{keyId}", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(RevokeApiKey));

    private static async Task<IResult> HandleAsync(string id, string keyId, HttpContext context, ApiKeyStore keys) =>
        await keys.RevokeAsync(id, keyId, context.RequestAborted)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Organisation {id} has no key {keyId}.");
}
