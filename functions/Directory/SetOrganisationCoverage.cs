using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>PUT /api/admin/organisations/{id}/coverage</c> (admin): replaces where a health visiting, school nursing or
/// midwifery team works — <c>{"gpPracticeOdsCodes":["A99001"],"postcodeDistricts":["DH1"]}</c> — and re-indexes it.
/// <c>If-Match</c> honoured.
/// </summary>
public sealed class SetOrganisationCoverage(DirectoryStore store, AuditTrail audit)
{
    private const int MaxBodyBytes = 64 * 1024;

    [Function(nameof(SetOrganisationCoverage))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/organisations/{id}/coverage")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var (coverage, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, OrganisationValidator.ValidateCoverage, ct);
        if (problem is not null) return problem;

        var current = await store.FindAsync(id, ct);
        if (current is null) return Problems.NotFound($"There is no organisation with id {id}.");
        if (!OrganisationValidator.TakesCoverage(current.Organisation.Type))
            return Problems.Invalid("$", $"organisation {id} is a {current.Organisation.Type}: coverage is only for health visiting, school nursing and midwifery teams");

        var demoSpace = new FieldErrors();
        foreach (var (field, reason) in DemoSpace.Violations(current.Organisation with { Coverage = coverage }))
            if (field.StartsWith("coverage.", StringComparison.Ordinal)) demoSpace.Add(field["coverage.".Length..], reason);
        if (demoSpace.Any) return Problems.Invalid(demoSpace);

        var result = await store.UpdateAsync(id, OrganisationApi.IfMatch(request),
            stored => stored.Organisation with { Coverage = coverage }, ct);
        await OrganisationApi.AuditAsync(audit, request, AuditActions.OrganisationCoverageChanged, id, result);
        return OrganisationApi.Answer(request.HttpContext, id, result);
    }
}
