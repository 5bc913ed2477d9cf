using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Decisions;

/// <summary>A decision as a MASH sends it, validated; the next steps' owners are checked against the directory afterwards.</summary>
public sealed record DecisionRequest(
    string Outcome, IReadOnlyList<int> Children, DateTimeOffset DecidedAt, bool Joint, IReadOnlyList<string> JointWith, string Rationale,
    IReadOnlyList<NextStep> NextSteps);

/// <summary>
/// Reads <c>{"outcome","children","decidedAt","joint","jointWith","rationale","nextSteps":[{"owner","action","dueOn"}]}</c>,
/// naming every bad field at once. Pure: the incident's child count and the time now are given.
/// </summary>
public static partial class DecisionInput
{
    public const int MaxRationale = 4000;
    public const int MaxAction = 500;
    public const int MaxNextSteps = 20;

    /// <summary>A decision may be recorded a little ahead of the hub's clock (a caller's clock runs fast), not more.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static Validated<DecisionRequest> Validate(JsonElement body, int childCount, DateTimeOffset receivedAt, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var outcome = f.String("outcome", 50, required: true);
        if (outcome is not null && !DecisionOutcomes.IsKnown(outcome))
            f.Fail("outcome", "must be one of " + string.Join(", ", DecisionOutcomes.All.Select(o => o.Code)));
        var children = f.Integers("children", required: false, maxItems: 50, min: 0, max: childCount - 1) ?? [];
        var decidedAt = f.Instant("decidedAt", required: true);
        if (decidedAt is { } at && at > now + ClockSkew) f.Fail("decidedAt", "must not be in the future");
        if (decidedAt is { } early && early < receivedAt - ClockSkew) f.Fail("decidedAt", "must not be before the MASH received the incident");
        var joint = f.Boolean("joint", required: true);
        var jointWith = f.Strings("jointWith", required: false, maxItems: DecisionAgencies.All.Count, maxLength: 40, s => s.ToLowerInvariant(),
            AgencyPattern(), "must be one of " + string.Join(", ", DecisionAgencies.All)) ?? [];
        if (joint == true && jointWith.Count == 0 && !f.Failed("jointWith")) f.Fail("jointWith", "is required when the decision was made jointly: name the agencies");
        if (joint == false && jointWith.Count > 0) f.Fail("jointWith", "must be left out when the decision was not made jointly");
        var rationale = f.String("rationale", MaxRationale, required: true);
        var steps = f.Array("nextSteps", required: false, minItems: 0, maxItems: MaxNextSteps, step => ReadStep(step, decidedAt)) ?? [];
        f.RefuseUnknownFields();
        return errors.Any
            ? new(null, errors)
            : new(new DecisionRequest(outcome!, [.. children.Order()], decidedAt!.Value, joint!.Value, jointWith, rationale!, steps), errors);
    }

    private static NextStep? ReadStep(JsonFields f, DateTimeOffset? decidedAt)
    {
        var owner = f.String("owner", 100, required: true, OwnerPattern(), "must be an organisation id (letters, digits, '-', '_' and '.')");
        var action = f.String("action", MaxAction, required: true);
        var dueOn = f.Date("dueOn", required: true);
        if (dueOn is { } due && decidedAt is { } at && due < UkTime.DateOf(at)) f.Fail("dueOn", "must not be before the day the decision was made");
        return owner is null || action is null || dueOn is null ? null : new NextStep(owner, action, dueOn.Value);
    }

    [GeneratedRegex("^(police|childrens-social-care|health|education|probation|youth-offending|other)$")]
    private static partial Regex AgencyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")]
    private static partial Regex OwnerPattern();
}
