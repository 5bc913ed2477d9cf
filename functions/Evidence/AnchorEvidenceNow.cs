using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Evidence;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/evidence/anchors</c> (admin): signs the next evidence anchor now rather than at the daily run — before
/// an inspection, or to show a new incident verifying end to end. Answers the anchor made (201).
/// </summary>
public sealed class AnchorEvidenceNow(EvidenceAnchors anchors, AuditTrail audit)
{
    [Function(nameof(AnchorEvidenceNow))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/evidence/anchors")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var made = await anchors.AnchorAsync(ct);
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.EvidenceAnchored, [made.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new { leaves = made.Leaves }, ct);
        return TypedResults.Json(made, statusCode: StatusCodes.Status201Created);
    }
}
