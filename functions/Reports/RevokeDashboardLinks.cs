using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Organisations;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/reports/dashboard-links/revoke</c> (partnership lead, admin): every dashboard link issued so far for a
/// partnership lead — by <c>CreateDashboardLink</c> or in a daily digest — stops working at once (e.g. a digest was
/// forwarded). A lead revokes its own (no body, or <c>{"organisationId"}</c> naming itself); an administrator names the
/// lead. Links made afterwards work. Recorded in the audit trail.
/// </summary>
public sealed partial class RevokeDashboardLinks(DashboardLinks links, DirectoryStore directory, AuditTrail audit)
{
    public sealed record Request(string? OrganisationId);

    public sealed record Answer(string OrganisationId, DateTimeOffset RevokedAt);

    [Function(nameof(RevokeDashboardLinks))]
    [RequiresRole(Roles.Partnership, Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reports/dashboard-links/revoke")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        string? requested = null;
        if (request.ContentLength is > 0 || request.ContentType is not null)
        {
            var (body, problem) = await JsonBody.ReadValidatedAsync(request, 4096, Validate, ct);
            if (problem is not null) return problem;
            requested = body!.OrganisationId;
        }
        var target = DashboardLinkRevocation.Target(caller.Role == Roles.Admin, caller.OrganisationId, requested);
        if (target.LeadId is not { } leadId)
            return target.Forbidden ? Problems.ForbiddenField(target.Field!, target.Reason!) : Problems.Invalid(target.Field!, target.Reason!);
        if (await directory.GetAsync(leadId, ct) is not { Type: OrganisationTypes.PartnershipLead })
            return Problems.NotFound($"There is no partnership lead with id {leadId}.");

        var revokedAt = await links.RevokeAsync(leadId, ct);
        await audit.RecordAsync(AuditActor.Of(caller), AuditActions.DashboardLinksRevoked, [leadId], null, ct);
        return TypedResults.Ok(new Answer(leadId, revokedAt));
    }

    private static Validated<Request> Validate(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var organisationId = f.String(DashboardLinkRevocation.Field, 64, required: false, IdPattern(), "must be an organisation id: 2 to 64 lower-case letters, digits or '-'");
        f.RefuseUnknownFields();
        return errors.Any ? new(null, errors) : new(new Request(organisationId), errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")] private static partial Regex IdPattern();
}
