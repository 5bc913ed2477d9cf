using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Strategy;
using NotifyHub.Hosting;
using NotifyHub.Strategy;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/minutes</c> (the chair, once the discussion is recorded held): the minutes, as
/// <c>application/json</c> <c>{"text"}</c> (at most 20,000 characters) or as a PDF (<c>application/pdf</c>, at most 5 MB,
/// kept in blob storage). They go to every invitee, attended or not, due by <c>Timeliness:MinutesDue</c> (the end of the
/// next working day), with receipts, acknowledgement, lateness and escalation. Once only. 201 with the discussion.
/// </summary>
public sealed class ShareStrategyMinutes(StrategyDiscussions discussions, AuditTrail audit)
{
    public const int MaxPdfBytes = 5 * 1024 * 1024;
    private const int MaxJsonBytes = 96 * 1024;

    [Function(nameof(ShareStrategyMinutes))]
    [RequiresRole(Roles.Recipient)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/minutes")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await discussions.FindAsync(id, caller.OrganisationId, ct) is not { AsChair: true } found)
            return Problems.NotFound($"You chair no strategy discussion through notification {id}.");
        if (found.Discussion.Held is null) return Problems.Conflict("Record the strategy discussion held first: POST …/held.");
        if (found.Discussion.Minutes is not null) return Problems.Conflict("The minutes of this strategy discussion have been shared already.");

        string? text = null;
        byte[]? pdf = null;
        if (request.ContentType?.StartsWith("application/pdf", StringComparison.OrdinalIgnoreCase) == true)
        {
            (pdf, var problem) = await JsonBody.ReadBytesAsync(request, MaxPdfBytes, "application/pdf", ct);
            if (problem is not null) return problem;
            if (pdf!.Length < 5 || !"%PDF-"u8.SequenceEqual(pdf.AsSpan(0, 5))) return Problems.Invalid("$", "is not a PDF: it must begin with %PDF-");
        }
        else
        {
            (text, var problem) = await JsonBody.ReadValidatedAsync(request, MaxJsonBytes, StrategyInput.MinutesText, ct);
            if (problem is not null) return problem;
        }
        var committed = await discussions.ShareMinutesAsync(found, text, pdf, ct);
        var after = committed.After.Discussions.First(d => d.Number == found.Discussion.Number);
        if (committed.Events.Count > 0)
        {
            await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.StrategyMinutesShared, [committed.After.IncidentId, id],
                new { discussion = after.Number, to = after.Current.Count(), pdf = pdf is not null });
        }
        return TypedResults.Created($"/api/notifications/{id}/strategy", StrategyView.Of(committed.After, after));
    }
}
