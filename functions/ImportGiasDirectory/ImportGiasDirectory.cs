using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NotifyHub.Auth;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Organisations;
using NotifyHub.Organisations.Gias;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/directory/gias</c> (admin, body = the GIAS all-establishments CSV as <c>text/csv</c>,
/// Windows-1252, up to <see cref="DirectoryOptions.MaxImportBytes"/>): upserts open schools and colleges,
/// marks closed ones inactive (unless they have deliveries), never deletes. Answers the import report.
/// Re-running it is safe: unchanged schools are not written at all.
/// </summary>
public static class ImportGiasDirectory
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/admin/directory/gias", HandleAsync).RequireAuthorization(Roles.Admin).AsFunction(nameof(ImportGiasDirectory));

    private static async Task<IResult> HandleAsync(HttpContext context, GiasImporter importer, IOptions<DirectoryOptions> options)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.UnsupportedMediaType("text/csv (the GIAS extract as published, Windows-1252)");
        var limit = options.Value.MaxImportBytes;
        if (request.ContentLength > limit) return Problems.TooLarge(limit);
        // Kestrel's default body limit (30 MB) is below the size of the real extract.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = limit;

        GiasImportResult result;
        try
        {
            result = await importer.ImportAsync(request.Body, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.TooLarge(limit);
        }
        if (result.MissingColumns.Count > 0)
        {
            var errors = new FieldErrors();
            foreach (var column in result.MissingColumns) errors.Add(column, "is a required column and is missing from the header row");
            return Problems.Invalid(errors);
        }
        return TypedResults.Ok(result.Report);
    }
}
