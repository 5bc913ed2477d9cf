using NotifyHub.Audit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
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
public sealed class ImportGiasDirectory(GiasImporter importer, IOptions<DirectoryOptions> options, AuditTrail audit)
{
    [Function(nameof(ImportGiasDirectory))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/directory/gias")] HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.UnsupportedMediaType("text/csv (the GIAS extract as published, Windows-1252)");
        var limit = options.Value.MaxImportBytes;
        if (request.ContentLength > limit) return Problems.TooLarge(limit);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = limit;

        GiasImportResult result;
        try
        {
            result = await importer.ImportAsync(request.Body, request.HttpContext.RequestAborted);
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
        var report = result.Report!;
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.GiasImported, [],
            new { report.Rows, report.Added, report.Updated, report.Unchanged, report.Deactivated, Skipped = report.Skipped.Values.Sum(), Errors = report.ErrorCount },
            request.HttpContext.RequestAborted);
        return TypedResults.Ok(report);
    }
}
