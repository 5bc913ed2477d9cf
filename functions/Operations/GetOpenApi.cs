using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/openapi.json</c> (open to anyone: a contract, no data): the integrators' contract — an OpenAPI 3.1 document of every HTTP function
/// and of the webhook payload (<c>webhooks.notification</c>), as <c>docs/openapi.json</c> holds it. A test holds it
/// against the built function list and against real answers.
/// </summary>
public sealed class GetOpenApi
{
    private static readonly Lazy<byte[]> Document = new(() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "openapi.json")));

    [Function(nameof(GetOpenApi))]
    [Public]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        TypedResults.Bytes(Document.Value, "application/json");
}
