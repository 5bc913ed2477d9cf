using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>PUT /api/admin/organisations/{id}/coverage</c> (admin): replaces where a health visiting, school nursing or
/// midwifery team works — <c>{"gpPracticeOdsCodes":["A99001"],"postcodeDistricts":["DH1"]}</c> — and re-indexes it.
/// <c>If-Match</c> honoured.
/// </summary>
public static class SetOrganisationCoverage
{
    private const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/admin/organisations/{id}/coverage", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(SetOrganisationCoverage));

    private static async Task<IResult> HandleAsync(string id, HttpContext context, DirectoryStore store)
    {
        var (coverage, problem) = await JsonBody.ReadValidatedAsync(context.Request, MaxBodyBytes, OrganisationValidator.ValidateCoverage, context.RequestAborted);
        if (problem is not null) return problem;

        var current = await store.FindAsync(id, context.RequestAborted);
        if (current is null) return Problems.NotFound($"There is no organisation with id {id}.");
        if (!OrganisationValidator.TakesCoverage(current.Organisation.Type))
            return Problems.Invalid("$", $"organisation {id} is a {current.Organisation.Type}: coverage is only for health visiting, school nursing and midwifery teams");

        var result = await store.UpdateAsync(id, OrganisationApi.IfMatch(context.Request),
            stored => stored.Organisation with { Coverage = coverage }, context.RequestAborted);
        return OrganisationApi.Answer(context, id, result);
    }
}
