using Microsoft.Azure.Functions.Worker;
using NotifyHub.Audit;
using NotifyHub.Auth;
using NotifyHub.Domain.Strategy;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Strategy;

namespace NotifyHub.Functions;

/// <summary>
/// <c>POST /api/notifications/{id}/schedule</c> (the chair, through what is due from it): schedules the strategy discussion —
/// <c>{"at","how","joiningDetails","add":[ids],"remove":[ids]}</c> — and invites every agency that received the incident, the
/// force, both probation SPOCs for the LA and the children's GP practices, as changed by <c>add</c> and <c>remove</c>. Each
/// invitee gets an invitation through its own channel. 201 with the discussion; scheduled already, 409; anyone else's, 404.
/// </summary>
public sealed class ScheduleStrategyDiscussion(StrategyDiscussions discussions, AuditTrail audit, TimeProvider time)
{
    private const int MaxBodyBytes = 16 * 1024;

    [Function(nameof(ScheduleStrategyDiscussion))]
    [RequiresRole(Roles.Recipient)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{id}/schedule")] HttpRequest request, string id)
    {
        var ct = request.HttpContext.RequestAborted;
        var caller = request.HttpContext.Caller();
        if (await discussions.FindAsync(id, caller.OrganisationId, ct) is not { AsChair: true } found)
            return Problems.NotFound($"You chair no strategy discussion through notification {id}.");
        if (found.Discussion.Held is not null) return Problems.Conflict("This strategy discussion has been held.");
        if (found.Discussion.Meeting is not null) return Problems.Conflict("This strategy discussion is scheduled already: change its invitees with POST …/invitees.");
        var (schedule, problem) = await JsonBody.ReadValidatedAsync(request, MaxBodyBytes, body => StrategyInput.Schedule(body, time.GetUtcNow()), ct);
        if (problem is not null) return problem;

        var (added, unknown) = await discussions.AddedAsync(schedule!.Add, ct);
        if (unknown.Count > 0)
        {
            var errors = new FieldErrors();
            foreach (var i in unknown) errors.Add($"add[{i}]", "is not an active organisation in the directory");
            return Problems.Invalid(errors);
        }
        var invitees = (await discussions.DefaultInviteesAsync(found, ct)).Concat(added).Where(i => !schedule.Remove.Contains(i.OrganisationId))
            .Where(i => i.OrganisationId != found.Discussion.Chair).GroupBy(i => i.OrganisationId).Select(g => g.First()).ToList();
        var committed = await discussions.ScheduleAsync(found, schedule.Meeting, invitees, ct);
        var after = committed.After.Discussions.First(d => d.Number == found.Discussion.Number);
        if (committed.Events.Count > 0)
        {
            await audit.RecordStoredAsync(AuditActor.Of(caller), AuditActions.StrategyScheduled, [committed.After.IncidentId, id],
                new { discussion = after.Number, invited = after.Current.Count(), how = schedule.Meeting.How });
        }
        return TypedResults.Created($"/api/notifications/{id}/strategy", StrategyView.Of(committed.After, after));
    }
}
