using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Strategy;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Strategy;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/invitees</c> (the chair): <c>{"add":[ids],"remove":[ids]}</c> — an added organisation is
/// invited through its channel; a removed one is sent nothing more (the minutes included) and reads nothing more. Before it
/// is held only. 200 with the discussion.
/// </summary>
public sealed class ChangeStrategyInvitees(StrategyDiscussions discussions, AuditTrail audit)
{
    private const int MaxBodyBytes = 8 * 1024;

    [Function(nameof(ChangeStrategyInvitees))]
    [RequiresRole(Roles.Recipient)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/invitees")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await discussions.FindAsync(id, caller.OrganisationId, ct) is not { AsChair: true } found)
            return Problems.NotFound($"You chair no strategy discussion through notification {id}.");
        if (found.Discussion.Meeting is null) return Problems.Conflict("Schedule the strategy discussion first: POST …/schedule.");
        if (found.Discussion.Held is not null) return Problems.Conflict("This strategy discussion has been held.");
        var (change, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, StrategyInput.Invitees, ct);
        if (problem is not null) return problem;
        var (added, unknown) = await discussions.AddedAsync(change!.Add.Where(a => a != found.Discussion.Chair).ToList(), ct);
        if (unknown.Count > 0)
        {
            var errors = new FieldErrors();
            foreach (var i in unknown) errors.Add($"add[{i}]", "is not an active organisation in the directory");
            return Problems.Invalid(errors);
        }
        var committed = await discussions.ChangeInviteesAsync(found, added, change.Remove, ct);
        var after = committed.After.Discussions.First(d => d.Number == found.Discussion.Number);
        if (committed.Events.Count > 0)
        {
            await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.StrategyInviteesChanged, [committed.After.IncidentId, id],
                new { discussion = after.Number, added = added.Count, removed = change.Remove.Count });
        }
        return TypedResults.Ok(StrategyView.Of(committed.After, after));
    }
}
