using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Strategy;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Strategy;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/held</c> (the chair): <c>{"heldAt","attended":[ids],"outcome","actions":[{"owner","action","dueOn"}]}</c>.
/// What was due from the chair is met (late if after its due time); each action is a notification to its owner. Attended
/// organisations must be invitees. Once only (409 after). 201 with the discussion.
/// </summary>
public sealed class RecordStrategyHeld(StrategyDiscussions discussions, AuditTrail audit, TimeProvider time)
{
    private const int MaxBodyBytes = 32 * 1024;

    [Function(nameof(RecordStrategyHeld))]
    [RequiresRole(Roles.Recipient)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/held")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await discussions.FindAsync(id, caller.OrganisationId, ct) is not { AsChair: true } found)
            return Problems.NotFound($"You chair no strategy discussion through notification {id}.");
        if (found.Discussion.Held is not null) return Problems.Conflict("This strategy discussion has been recorded as held already.");
        if (found.Discussion.Meeting is null) return Problems.Conflict("Schedule the strategy discussion first (POST …/schedule): its invitees are who attend and who get the minutes.");
        var (held, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes,
            body => StrategyInput.Held(body, found.Discussion.OpenedAt, time.GetUtcNow()), ct);
        if (problem is not null) return problem;

        var errors = new FieldErrors();
        for (var i = 0; i < held!.Attended.Count; i++)
        {
            if (!found.Discussion.IsInvited(held.Attended[i])) errors.Add($"attended[{i}]", "was not invited");
        }
        var (_, unknownOwners) = await discussions.AddedAsync(held.Actions.Select(a => a.Owner).ToList(), ct);
        foreach (var i in unknownOwners) errors.Add($"actions[{i}].owner", "is not an active organisation in the directory");
        if (errors.Any) return Problems.Invalid(errors);

        var committed = await discussions.HeldAsync(found, held.HeldAt, held.Attended, held.Outcome, held.Actions, ct);
        var after = committed.After.Discussions.First(d => d.Number == found.Discussion.Number);
        if (committed.Events.Count > 0)
        {
            await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.StrategyHeld, [committed.After.IncidentId, id],
                new { discussion = after.Number, outcome = held.Outcome, attended = held.Attended.Count, actions = held.Actions.Count });
        }
        return TypedResults.Created($"/api/notifications/{id}/strategy", StrategyView.Of(committed.After, after));
    }
}
