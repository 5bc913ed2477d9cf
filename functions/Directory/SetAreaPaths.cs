using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>PUT /api/admin/areas/{laCode}/paths</c> (admin): replaces how LA <c>laCode</c>'s shares reach each recipient type —
/// <c>{"paths":[{"recipientType":"school","via":"{relay id}","autoReleaseWhenLate":true}]}</c>. A type left out (or given
/// <c>"via":"direct"</c>) goes straight to its recipient; a relay must be an active MASH or LA education safeguarding team
/// covering the LA. Applies to incidents routed from then on; audited. Answers the paths as <c>GET</c> does.
/// </summary>
public sealed class SetAreaPaths(AreaPathStore paths, DirectoryStore directory, AuditTrail audit)
{
    private const int MaxBodyBytes = 16 * 1024;

    [Function(nameof(SetAreaPaths))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/areas/{laCode}/paths")] HttpRequest request, string laCode)
    {
        var ct = request.HttpContext.RequestAborted;
        if (GetAreaPaths.LaProblem(laCode) is { } bad) return Problems.Invalid("laCode", bad);
        var (wanted, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, AreaPaths.Validate, ct);
        if (problem is not null) return problem;

        var errors = new FieldErrors();
        var relays = new Dictionary<string, Domain.Directory.Organisation>(StringComparer.Ordinal);
        for (var i = 0; i < wanted!.Count; i++)
        {
            var via = wanted[i].Via;
            if (!relays.ContainsKey(via) && await directory.GetAsync(via, ct) is { } found) relays[via] = found;
            if (AreaPaths.RelayProblem(relays.GetValueOrDefault(via), laCode) is { } why) errors.Add($"paths[{i}].via", $"'{via}' {why}");
        }
        if (errors.Any) return Problems.Invalid(errors);

        var caller = request.HttpContext.Caller();
        if (!await paths.ReplaceAsync(laCode, wanted, caller.KeyId, ct))
            return Problems.Conflict($"LA {laCode}'s paths were changed by someone else meanwhile: read them again (GET) and send the paths you want.");
        await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.AreaPathsChanged, [laCode],
            new { paths = wanted.Select(p => new { p.RecipientType, p.Via, p.AutoReleaseWhenLate }) });
        return TypedResults.Ok(GetAreaPaths.Of(laCode, wanted, relays));
    }
}
