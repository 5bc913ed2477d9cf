using NotifyHub.Audit;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/organisations</c> (admin): adds an organisation to the directory, with its
/// identifiers, contacts, channel, school day start, calendar and (health teams) coverage, and makes it
/// findable by routing. Answers 201 with the organisation and its ETag.
/// </summary>
public sealed class CreateOrganisation(DirectoryStore store, AuditTrail audit)
{
    private const int MaxBodyBytes = 64 * 1024;

    [Function(nameof(CreateOrganisation))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/organisations")] HttpRequest request)
    {
        var (organisation, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, OrganisationValidator.ValidateNew, request.HttpContext.RequestAborted);
        if (problem is not null) return problem;

        var result = await store.CreateAsync(organisation!, OrganisationEntity.SourceAdmin, request.HttpContext.RequestAborted);
        await OrganisationApi.AuditAsync(audit, request, AuditActions.OrganisationCreated, organisation!.Id, result);
        return result.Status switch
        {
            SaveStatus.Saved => OrganisationApi.Created(request.HttpContext, result.Stored!),
            SaveStatus.ForceCodeTaken => OrganisationApi.ForceCodeTaken(),
            _ => Problems.Conflict($"An organisation with id {organisation!.Id} already exists."),
        };
    }
}
