using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/inspector-keys</c> (admin): issues an inspector's key — read-only, for the evidence of incidents and the
/// reports of the LAs named, expiring after <c>validForDays</c> (1 to 90; 30 by default). Body:
/// <c>{"inspection": "JTAI Durham, December 2026", "laCodes": ["840"], "validForDays": 30}</c>. The key is in this answer
/// only; revoke it early with <c>DELETE /api/admin/organisations/inspectors/keys/{keyId}</c>.
/// </summary>
public sealed partial class IssueInspectorKey(ApiKeyStore keys, AuditTrail audit, TimeProvider time)
{
    public sealed record Request(string Inspection, IReadOnlyList<string> LaCodes, int ValidForDays);

    public sealed record Issued(string KeyId, string ApiKey, string Role, string Inspection, IReadOnlyList<string> LaCodes, DateTimeOffset CreatedAt,
        DateTimeOffset ExpiresAt);

    public const int DefaultValidForDays = 30;

    [Function(nameof(IssueInspectorKey))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/inspector-keys")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadValidatedAsync(request, 4096, Validate, ct);
        if (problem is not null) return problem;
        var expiresAt = time.GetUtcNow().AddDays(body!.ValidForDays);
        var issued = await keys.IssueInspectorAsync(body.Inspection, body.LaCodes, expiresAt, ct);
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.InspectorKeyIssued, [InspectorKeys.Organisation, issued.KeyId],
            new { inspection = body.Inspection, laCodes = body.LaCodes, expiresAt }, ct);
        return TypedResults.Created($"/api/admin/organisations/{InspectorKeys.Organisation}/keys/{issued.KeyId}",
            new Issued(issued.KeyId, issued.Secret, Roles.Inspector, body.Inspection, body.LaCodes, issued.CreatedAt, expiresAt));
    }

    private static Validated<Request> Validate(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var inspection = f.String("inspection", 200, required: true, Printable(), "must be the inspection's name, in plain text (up to 200 characters)");
        var las = f.Strings("laCodes", required: true, maxItems: 50, maxLength: 3, value => value, LaCode(), "must be a three-digit DfE local authority code");
        if (las is { Count: 0 }) f.Fail("laCodes", "must name at least one local authority: the area under inspection");
        var days = f.Integer("validForDays", required: false, 1, (int)InspectorKeys.MaxValidFor.TotalDays);
        f.RefuseUnknownFields();
        return errors.Any ? new(null, errors) : new(new Request(inspection!, [.. las!.Distinct(StringComparer.Ordinal)], days ?? DefaultValidForDays), errors);
    }

    [GeneratedRegex("^[0-9]{3}$")] private static partial Regex LaCode();
    [GeneratedRegex(@"^[^\p{C}]{2,200}$")] private static partial Regex Printable();
}
