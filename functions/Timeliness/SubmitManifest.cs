using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Telemetry;
using NotifyHub.Timeliness;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/manifests</c> (police): a force's daily manifest — every domestic abuse incident reference it recorded
/// on a day, with its local authority — <c>{"forceCode","date","incidents":[{"incidentReference","laCode","reportedAt"?}]}</c>.
/// The hub answers at once which references it never received (shares missing at source), counts them for the
/// partnership leads, and checks again hourly (<c>ReconcileManifests</c>) until they arrive. Sending a day again replaces it.
/// </summary>
public sealed partial class SubmitManifest(ManifestStore manifests, HubMetrics metrics, TimeProvider time)
{
    public const int MaxIncidents = 5000;

    public sealed record Manifest(string ForceCode, DateOnly Date, IReadOnlyList<ManifestEntry> Incidents);

    [Function(nameof(SubmitManifest))]
    [RequiresRole(Roles.Police)]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manifests")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (manifest, problem) = await JsonBody.ReadValidatedAsync(request, 2 * 1024 * 1024, body => Validate(body, today), ct);
        if (problem is not null) return problem;
        if (manifest!.ForceCode != caller.ForceCode)
            return Problems.ForbiddenField("forceCode", $"is {manifest.ForceCode}, but this API key submits for force {caller.ForceCode} only");
        var result = await manifests.SaveAndReconcileAsync(manifest.ForceCode, manifest.Date, manifest.Incidents, caller.KeyId, ct);
        metrics.SharesMissing(ShareKinds.MissingAtSource, result.MissingAtSource.Count);
        return TypedResults.Ok(result);
    }

    private static Validated<Manifest> Validate(JsonElement body, DateOnly today)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var force = f.String("forceCode", 10, required: true, ForcePattern(), "must be 2 to 10 capital letters or digits");
        var date = f.Date("date", required: true);
        var incidents = f.Array("incidents", required: true, minItems: 0, maxItems: MaxIncidents, e =>
        {
            var reference = e.String("incidentReference", 40, required: true, ReferencePattern(),
                "must be 1 to 40 letters, digits, '-', '_' or '.', starting with a letter or digit (as on the incident)");
            var la = e.String("laCode", 3, required: true, LaPattern(), "must be a three-digit DfE local authority code");
            var reported = e.Instant("reportedAt", required: false);
            e.RefuseUnknownFields();
            return reference is null || la is null ? null : new ManifestEntry(reference, la, reported);
        });
        f.RefuseUnknownFields();
        if (date is { } d && (d > today.AddDays(1) || d < today.AddYears(-2))) f.Fail("date", "must be a day in the last two years, not in the future");
        if (incidents is not null)
        {
            foreach (var duplicate in incidents.GroupBy(i => i.IncidentReference).Where(g => g.Count() > 1))
                f.Fail("incidents", $"lists reference {duplicate.Key} more than once");
        }
        return errors.Any ? new(null, errors) : new(new Manifest(force!, date!.Value, incidents!), errors);
    }

    [GeneratedRegex("^[A-Z0-9]{2,10}$")] private static partial Regex ForcePattern();
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")] private static partial Regex ReferencePattern();
    [GeneratedRegex("^[0-9]{3}$")] private static partial Regex LaPattern();
}
