using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Strategy;

public sealed record ScheduleRequest(Meeting Meeting, IReadOnlyList<string> Add, IReadOnlyList<string> Remove);
public sealed record InviteesRequest(IReadOnlyList<string> Add, IReadOnlyList<string> Remove);
public sealed record AnswerRequest(string Answer, AcknowledgedBy By);
public sealed record HeldRequest(DateTimeOffset HeldAt, IReadOnlyList<string> Attended, string Outcome, IReadOnlyList<StrategyAction> Actions);

/// <summary>Reads what the chair and the invitees of a strategy discussion send, naming every bad field at once (docs/strategy-discussions.md).</summary>
public static partial class StrategyInput
{
    public const int MaxJoiningDetails = 1000;
    public const int MaxInformation = 4000;
    public const int MaxMinutesText = 20000;
    public const int MaxAction = 500;
    public const int MaxInvitees = 50;
    public const int MaxActions = 20;

    /// <summary>A meeting may be scheduled a little in the past (the chair's clock), not more.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary><c>{"at","how","joiningDetails","add":[ids],"remove":[ids]}</c>: when and how it meets, and changes to the default invitees.</summary>
    public static Validated<ScheduleRequest> Schedule(JsonElement body, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var at = f.Instant("at", required: true);
        if (at is { } when && when < now - ClockSkew) f.Fail("at", "must not be in the past");
        if (at is { } far && far > now.AddDays(60)) f.Fail("at", "must be within 60 days");
        var how = f.String("how", 20, required: true);
        if (how is not null && MeetingModes.All.All(m => m.Code != how)) f.Fail("how", "must be one of " + string.Join(", ", MeetingModes.All.Select(m => m.Code)));
        var joining = f.String("joiningDetails", MaxJoiningDetails, required: false);
        var add = Ids(f, "add");
        var remove = Ids(f, "remove");
        f.RefuseUnknownFields();
        return errors.Any ? new(null, errors) : new(new ScheduleRequest(new Meeting(at!.Value, how!, joining), add, remove), errors);
    }

    /// <summary><c>{"add":[ids],"remove":[ids]}</c>, not both empty.</summary>
    public static Validated<InviteesRequest> Invitees(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var add = Ids(f, "add");
        var remove = Ids(f, "remove");
        if (!errors.Any && add.Count == 0 && remove.Count == 0) f.Fail("add", "or remove must name at least one organisation");
        f.RefuseUnknownFields();
        return errors.Any ? new(null, errors) : new(new InviteesRequest(add, remove), errors);
    }

    /// <summary><c>{"answer":"attending"|"sending-information"|"cannot-attend","by":{"name","role"}}</c>.</summary>
    public static Validated<AnswerRequest> Answer(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var answer = f.String("answer", 30, required: true);
        if (answer is not null && InvitationAnswers.All.All(a => a.Code != answer))
            f.Fail("answer", "must be one of " + string.Join(", ", InvitationAnswers.All.Select(a => a.Code)));
        var by = f.Nested("by", required: true, n =>
        {
            var name = n.String("name", AcknowledgementInput.MaxLength, required: true);
            var role = n.String("role", AcknowledgementInput.MaxLength, required: true);
            return name is null || role is null ? null : new AcknowledgedBy(name, role);
        });
        f.RefuseUnknownFields();
        return errors.Any || by is null ? new(null, errors) : new(new AnswerRequest(answer!, by), errors);
    }

    /// <summary><c>{"text"}</c>: what the invitee knows, at most 4,000 characters.</summary>
    public static Validated<string> Information(JsonElement body) => Text(body, MaxInformation);

    /// <summary><c>{"text"}</c>: the minutes as text, at most 20,000 characters.</summary>
    public static Validated<string> MinutesText(JsonElement body) => Text(body, MaxMinutesText);

    private static Validated<string> Text(JsonElement body, int max)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var text = f.String("text", max, required: true);
        f.RefuseUnknownFields();
        return errors.Any ? new(null, errors) : new(text!, errors);
    }

    /// <summary><c>{"heldAt","attended":[ids],"outcome","actions":[{"owner","action","dueOn"}]}</c>; attended organisations are checked against the invitees afterwards.</summary>
    public static Validated<HeldRequest> Held(JsonElement body, DateTimeOffset openedAt, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var heldAt = f.Instant("heldAt", required: true);
        if (heldAt is { } h && h > now + ClockSkew) f.Fail("heldAt", "must not be in the future");
        if (heldAt is { } early && early < openedAt - ClockSkew) f.Fail("heldAt", "must not be before the discussion was opened");
        var attended = Ids(f, "attended");
        var outcome = f.String("outcome", 60, required: true);
        if (outcome is not null && !StrategyOutcomes.IsKnown(outcome)) f.Fail("outcome", "must be one of " + string.Join(", ", StrategyOutcomes.All.Select(o => o.Code)));
        var actions = f.Array("actions", required: false, minItems: 0, maxItems: MaxActions, a =>
        {
            var owner = a.String("owner", 100, required: true, IdPattern(), "must be an organisation id");
            var action = a.String("action", MaxAction, required: true);
            var dueOn = a.Date("dueOn", required: true);
            if (dueOn is { } due && heldAt is { } held && due < UkTime.DateOf(held)) a.Fail("dueOn", "must not be before the day it was held");
            return owner is null || action is null || dueOn is null ? null : new StrategyAction(owner, action, dueOn.Value);
        }) ?? [];
        f.RefuseUnknownFields();
        return errors.Any ? new(null, errors) : new(new HeldRequest(heldAt!.Value, attended, outcome!, actions), errors);
    }

    private static IReadOnlyList<string> Ids(JsonFields f, string name) =>
        f.Strings(name, required: false, maxItems: MaxInvitees, maxLength: 100, s => s, IdPattern(), "must be an organisation id (letters, digits, '-', '_' and '.')")
            ?.Distinct(StringComparer.Ordinal).ToList() ?? [];

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")]
    private static partial Regex IdPattern();
}
