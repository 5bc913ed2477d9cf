using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Organisations;
using NotifyHub.Storage;

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
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/organisations")] HttpRequest request)
    {
        var query = request.Query;
        string? Single(string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;
        var (type, laCode, pageSize, continuationToken) = (Single("type"), Single("laCode"), Single("pageSize"), Single("continuationToken"));

        var errors = new FieldErrors();
        if (type is not null && !OrganisationTypes.All.Contains(type)) errors.Add("type", "must be one of: " + string.Join(", ", OrganisationTypes.All));
        if (laCode is not null && !LaCodePattern().IsMatch(laCode)) errors.Add("laCode", "must be a three-digit DfE local authority code");
        var size = 100;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size is < 1 or > 1000)) errors.Add("pageSize", "must be a whole number from 1 to 1000");
        if (continuationToken is not null && !ContinuationToken.TryDecode(continuationToken, out _)) errors.Add("continuationToken", "is not a token this API gave out");
        if (errors.Any) return Problems.Invalid(errors);

        var page = await store.ListAsync(type, laCode, continuationToken, size, request.HttpContext.RequestAborted);
        return TypedResults.Ok(new OrganisationList(page.Items.Select(s => OrganisationResource.Of(s.Organisation)).ToList(), page.ContinuationToken));
    }

    [GeneratedRegex(@"^[0-9]{3}$")] private static partial Regex LaCodePattern();
}
