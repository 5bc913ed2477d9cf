using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Hosting;
using NotifyHub.Organisations.Ods;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/admin/directory/ods</c> (admin, body = the NHS ODS GP practice file <c>epraccur.csv</c> as <c>text/csv</c>,
/// up to <see cref="MaxBytes"/>): creates or updates the active GP practices, <c>gp-{code}</c>, keeping what
/// administrators set on them; deactivates and deletes nothing. Answers the import report; a body that is not the file
/// at all is a 400 saying why. Re-running it is safe: unchanged practices are not written.
/// </summary>
public sealed class ImportOdsDirectory(OdsImporter importer, AuditTrail audit)
{
    /// <summary>The file is a few MB (some 12,000 rows) and is read whole: 20 MiB leaves room to grow, and no more.</summary>
    public const long MaxBytes = 20L * 1024 * 1024;

    [Function(nameof(ImportOdsDirectory))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/directory/ods")] HttpRequest request)
    {
        var ct = request.HttpContext.RequestAborted;
        var (body, problem) = await JsonBody.ReadBytesAsync(request, MaxBytes, "text/csv", ct);
        if (problem is not null) return problem;

        var result = await importer.ImportAsync(body!, ct);
        if (result.NotTheFile is { } why) return Problems.Invalid("$", "the body " + why);
        var report = result.Report!;
        await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), AuditActions.OdsImported, [],
            new { report.Rows, report.Created, report.Updated, report.Unchanged, Skipped = report.Skipped.Values.Sum(), Errors = report.ErrorCount }, ct);
        return TypedResults.Ok(report);
    }
}
