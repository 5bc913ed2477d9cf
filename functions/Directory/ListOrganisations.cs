using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/admin/organisations?type=&amp;laCode=&amp;pageSize=&amp;continuationToken=</c> (admin): organisations a
/// page at a time (default 100, at most 1000); pass the answer's <c>continuationToken</c> back for the next page.
/// A page may hold fewer items than asked for while a token still follows.
/// </summary>
public sealed partial class ListOrganisations(DirectoryStore store)
{
    [Function(nameof(ListOrganisations))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/organisations")] HttpRequest request)
    {
        var query = new QueryParameters(request.Query);
        var (type, laCode) = (query.Single("type"), query.Single("laCode"));
        var (size, tableToken) = (query.PageSize(), query.TableToken());
        var errors = query.Errors;
        if (type is not null && !OrganisationTypes.All.Contains(type)) errors.Add("type", "must be one of: " + string.Join(", ", OrganisationTypes.All));
        if (laCode is not null && !LaCodePattern().IsMatch(laCode)) errors.Add("laCode", "must be a three-digit DfE local authority code");
        if (errors.Any) return Problems.Invalid(errors);

        var page = await store.ListAsync(type, laCode, tableToken, size, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new OrganisationList(page.Items.Select(s => OrganisationResource.Of(s.Organisation)).ToList(), page.ContinuationToken));
    }

    [GeneratedRegex(@"^[0-9]{3}$")] private static partial Regex LaCodePattern();
}
