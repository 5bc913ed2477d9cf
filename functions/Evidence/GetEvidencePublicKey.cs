using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Evidence;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /.well-known/notifyhub-evidence-key.pem</c> (anyone): the public key that verifies the hub's evidence anchors, in
/// PEM — what an inspector gives <c>verify-evidence --public-key</c>. Its id (in every anchor) is in the <c>Key-Id</c> header.
/// After a rotation the keys it replaced follow it in the same file (<c>Evidence:RetiredPublicKeys</c>), so anchors signed
/// before still verify; the header names the signing key.
/// </summary>
public sealed class GetEvidencePublicKey(EvidenceAnchors anchors)
{
    [Function(nameof(GetEvidencePublicKey))]
    [Public]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/notifyhub-evidence-key.pem")] HttpRequest request)
    {
        request.HttpContext.Response.Headers["Key-Id"] = anchors.KeyId;
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Text(string.Concat(anchors.PublicKeys.Values.Select(pem => pem.TrimEnd() + "\n")), "application/x-pem-file");
    }
}
