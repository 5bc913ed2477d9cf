using System.Text.Json;
using System.Text.Json.Serialization;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Ledger;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Domain.Decisions;

/// <summary>
/// What a decision's follow-up notification holds for its recipient (docs/decisions.md, "What each agency is sent"):
/// a decision version, a next step, a challenge or a response to one. Minimised per recipient as an incident's shares
/// are: a school or an early-years setting gets the outcome and what is asked of it; statutory partners also get the
/// rationale, who it was decided with and every next step. Free text here (rationale, actions, reasons) is personal data:
/// it is stored as the delivery's content, which the retention purge clears.
/// </summary>
public sealed record FollowUpContent(
    string Kind, int Version, string? Outcome, string? OutcomeMeaning, DateTimeOffset? DecidedAt, IReadOnlyList<int>? Children, bool? Joint,
    IReadOnlyList<string>? JointWith, string? Rationale, IReadOnlyList<NextStepView>? NextSteps, string? DecidedBy, string? ForceCode,
    string? IncidentReference)
{
    /// <summary>A next step: what is asked of its owner, and the day it is due.</summary>
    public string? Action { get; init; }
    public DateOnly? DueOn { get; init; }

    /// <summary>A challenge, or a response to one: its number, who raised it, why and what it asks for.</summary>
    public int? Challenge { get; init; }
    public string? ChallengedBy { get; init; }
    public string? Reason { get; init; }
    public string? Asks { get; init; }

    /// <summary>A response: upheld or not, the reasons, and the decision version that replaced the one challenged (when upheld).</summary>
    public string? Response { get; init; }
    public string? ResponseReasons { get; init; }
    public int? NewVersion { get; init; }

    /// <summary>A strategy discussion's invitation, minutes or action: which discussion, who chairs it, when and how it meets.</summary>
    public int? Discussion { get; init; }
    public string? Chair { get; init; }
    public DateTimeOffset? MeetingAt { get; init; }
    public string? How { get; init; }
    public string? JoiningDetails { get; init; }

    /// <summary>Minutes: when it was held, its outcome, and the minutes' text (or whether they are a PDF, read from the notification's minutes link).</summary>
    public DateTimeOffset? HeldAt { get; init; }
    public string? StrategyOutcome { get; init; }
    public string? MinutesText { get; init; }
    public bool? MinutesPdf { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, FollowUpJson.Default.FollowUpContent);

    public static FollowUpContent? Read(JsonElement json)
    {
        try { return json.Deserialize(FollowUpJson.Default.FollowUpContent); }
        catch (JsonException) { return null; }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FollowUpContent))]
internal sealed partial class FollowUpJson : JsonSerializerContext;

/// <summary>An organisation a follow-up goes to: its id, type and name, and the incident's children it is concerned with.</summary>
public sealed record FollowUpRecipient(string Id, string Type, string Name, IReadOnlyList<int> Children);

/// <summary>The answers a MASH may give to a challenge.</summary>
public static class ChallengeResponses
{
    public const string Upheld = "upheld";
    public const string NotUpheld = "not-upheld";
    public static readonly IReadOnlyList<string> All = [Upheld, NotUpheld];
}

/// <summary>
/// The follow-ups of a MASH's decision, as pure functions: who is sent what when a version is recorded, when a challenge
/// is raised, and when it is answered. Each follow-up is a delivery (<see cref="DeliveryKinds"/>) with a key of its own
/// (<see cref="DeliveryKey"/>), so it has the channels, receipts, acknowledgement, due time, lateness and escalation every
/// share has.
/// </summary>
public static class FollowUps
{
    /// <summary>Whether the recipient is a school or an early-years setting: it is told the outcome and what is asked of it, not why.</summary>
    public static bool IsEducation(string recipientType) => recipientType is T.School or T.EarlyYearsSetting;

    /// <summary>Version <paramref name="d"/> of the decision as <paramref name="recipient"/> may see it.</summary>
    public static FollowUpContent DecisionFor(MashDecision d, FollowUpRecipient recipient, string? forceCode, string? reference)
    {
        var education = IsEducation(recipient.Type);
        var steps = d.NextSteps.Where(s => !education || s.Owner == recipient.Id).Select(s => new NextStepView(s.Owner, s.Action, s.DueOn)).ToList();
        return new FollowUpContent(DeliveryKinds.Decision, d.Version, d.Outcome, Meaning(d.Outcome), d.DecidedAt, d.Children, education ? null : d.Joint,
            education ? null : d.JointWith, education ? null : d.Rationale, steps, d.RecordedBy, forceCode, reference);
    }

    /// <summary>
    /// The deliveries a newly recorded version makes: the decision to each agency involved (<paramref name="involved"/>:
    /// every organisation that received the incident but the deciding MASH, and the submitting force), due by
    /// <paramref name="shareDue"/>; and each next step to its owner, due at the end of the working day on its day
    /// (<paramref name="workingDayEndsAt"/>; 17:00 unless configured): the day the MASH chose, even a weekend's.
    /// </summary>
    public static IReadOnlyList<(Decision Change, byte[] Content)> ForVersion(string incidentId, MashDecision d, IReadOnlyList<FollowUpRecipient> involved,
        IReadOnlyDictionary<string, FollowUpRecipient> owners, Func<FollowUpRecipient, DueInfo> shareDue, string? forceCode, string? reference,
        DateTimeOffset now, TimeOnly? workingDayEndsAt = null)
    {
        var made = new List<(Decision, byte[])>();
        foreach (var r in involved.Where(r => r.Id != d.RecordedBy).DistinctBy(r => r.Id))
        {
            var record = DeliveryRecord.New(incidentId, DeliveryKey.Decision(r.Id, d.Version), r.Type, r.Name, "decision", r.Children, [], 0, forceCode,
                reference, shareDue(r), now);
            made.Add((DeliveryChanges.Route(record), DecisionFor(d, r, forceCode, reference).ToJson()));
        }
        for (var i = 0; i < d.NextSteps.Count; i++)
        {
            var step = d.NextSteps[i];
            if (!owners.TryGetValue(step.Owner, out var owner)) continue;
            var due = new DueInfo(UkTime.EndOfWorkingDay(step.DueOn, workingDayEndsAt), "next-step", false);
            var record = DeliveryRecord.New(incidentId, DeliveryKey.NextStep(owner.Id, d.Version, i + 1), owner.Type, owner.Name, "next-step", d.Children, [], 0,
                forceCode, reference, due, now);
            var content = new FollowUpContent(DeliveryKinds.NextStep, d.Version, d.Outcome, Meaning(d.Outcome), d.DecidedAt, d.Children, null, null, null, null,
                d.RecordedBy, forceCode, reference) { Action = step.Action, DueOn = step.DueOn };
            made.Add((DeliveryChanges.Route(record), content.ToJson()));
        }
        return made;
    }

    /// <summary>
    /// The decision due from the MASH that received an incident: a delivery of its own (never sent: the MASH has the
    /// incident), due <paramref name="dueAt"/>; the MASH's first decision acknowledges it, and until then the lateness
    /// monitor judges and escalates it as it does any share.
    /// </summary>
    public static Decision DecisionDue(DeliveryRecord mash, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var receipt = new ReceiptState(DeliveryStatus.Delivered, [DeliveryChannels.Inbox], 0, 0, 0, null, now, null, null, null);
        var record = DeliveryRecord.New(mash.IncidentId, DeliveryKey.DecisionDue(mash.RecipientId), mash.RecipientType, mash.RecipientName, "decision-due",
            mash.Children, [], mash.PriorIncidents, mash.ForceCode, mash.IncidentReference, new DueInfo(dueAt, "decision-due", false), now) with { Receipt = receipt };
        return DeliveryChanges.Route(record);
    }

    /// <summary>The MASH recorded a decision: what was due from it is done (its first decision stands as the time it was met).</summary>
    public static Decision Decided(DeliveryRecord due, int version, DateTimeOffset now)
    {
        var change = Receipt.Acknowledge(due.Receipt, "", "MASH", now);
        if (!change.Changed) return Decision.None(due);
        return new(due with { Receipt = change.State }, [LedgerEvent.Of(LedgerEventTypes.Acknowledged, now, due.RecipientId, ("role", "MASH"),
            ("how", "decision"), ("version", (long)version), ("byDue", due.DueAt is { } at ? now <= at : null), ("kind", DeliveryKinds.DecisionDue))]);
    }

    /// <summary>
    /// A challenge raised by <paramref name="challenger"/> against the version it was sent (<paramref name="share"/>):
    /// challenge <paramref name="number"/>, a notification to the MASH due by <paramref name="due"/>.
    /// </summary>
    public static (Decision Change, byte[] Content) Challenge(DeliveryRecord share, DeliveryRecord mash, int number, string reason, string asks, DueInfo due,
        DateTimeOffset now)
    {
        var version = DeliveryKey.NumberOf(share.RecipientId) ?? 0;
        var record = DeliveryRecord.New(share.IncidentId, DeliveryKey.Challenge(mash.RecipientId, number), mash.RecipientType, mash.RecipientName, "challenge",
            share.Children, [], 0, share.ForceCode, share.IncidentReference, due, now) with { Regarding = $"{share.OrganisationId} d{version} {share.RecipientType}" };
        var content = new FollowUpContent(DeliveryKinds.Challenge, version, null, null, null, share.Children, null, null, null, null, mash.RecipientId,
            share.ForceCode, share.IncidentReference) { Challenge = number, ChallengedBy = share.OrganisationId, Reason = reason, Asks = asks };
        var routed = DeliveryChanges.Route(record);
        var raised = LedgerEvent.Of(LedgerEventTypes.ChallengeRaised, now, record.RecipientId, ("challenge", (long)number), ("version", (long)version),
            ("by", share.OrganisationId), ("byType", share.RecipientType), ("dueAt", due.At));
        return (routed with { Events = [.. routed.Events, raised] }, content.ToJson());
    }

    /// <summary>Who raised a challenge, against which version, and the challenger's type (from its delivery's <see cref="DeliveryRecord.Regarding"/>).</summary>
    public static (string Challenger, int Version, string? ChallengerType)? ChallengeOf(DeliveryRecord challenge) =>
        challenge.Regarding?.Split(' ') is [var by, var v, .. var rest] && v.StartsWith('d') && int.TryParse(v[1..], out var version)
            ? (by, version, rest.Length > 0 ? rest[0] : null)
            : null;

    /// <summary>
    /// The MASH answered a challenge: the challenge is acknowledged with the response, and the response goes to the
    /// challenger and every organisation the challenged version was shared with, each due by <paramref name="shareDue"/>.
    /// </summary>
    public static IReadOnlyList<(Decision Change, byte[]? Content)> Answer(DeliveryRecord challenge, AcknowledgedBy by, string response, string reasons,
        int? newVersion, IReadOnlyList<FollowUpRecipient> recipients, Func<FollowUpRecipient, DueInfo> shareDue, DateTimeOffset now)
    {
        var number = DeliveryKey.NumberOf(challenge.RecipientId) ?? 0;
        var (challenger, version, _) = ChallengeOf(challenge) ?? ("", 0, null);
        var ack = Receipt.Acknowledge(challenge.Receipt, by.Name, by.Role, now);
        if (!ack.Changed) return [];
        var answered = new Decision(challenge with { Receipt = ack.State, Answer = response }, [
            LedgerEvent.Of(LedgerEventTypes.Acknowledged, now, challenge.RecipientId, ("role", by.Role), ("how", "response"),
                ("byDue", challenge.DueAt is { } due ? now <= due : null), ("kind", DeliveryKinds.Challenge)),
            LedgerEvent.Of(LedgerEventTypes.ChallengeAnswered, now, challenge.RecipientId, ("challenge", (long)number), ("version", (long)version),
                ("response", response), ("newVersion", newVersion is { } n ? (long)n : null), ("by", challenger),
                ("raisedAt", challenge.CreatedAt), ("byDue", challenge.DueAt is { } d ? now <= d : null)),
        ]);
        var made = new List<(Decision, byte[]?)> { (answered, null) };
        foreach (var r in recipients.DistinctBy(r => r.Id).Where(r => r.Id != challenge.OrganisationId))
        {
            var record = DeliveryRecord.New(challenge.IncidentId, DeliveryKey.ChallengeResponse(r.Id, number), r.Type, r.Name, "challenge-response", r.Children,
                [], 0, challenge.ForceCode, challenge.IncidentReference, shareDue(r), now) with { Regarding = challenge.Regarding };
            var content = new FollowUpContent(DeliveryKinds.ChallengeResponse, version, null, null, null, null, null, null, null, null,
                challenge.OrganisationId, challenge.ForceCode, challenge.IncidentReference)
            {
                Challenge = number, ChallengedBy = challenger, Response = response, ResponseReasons = reasons, NewVersion = newVersion,
            };
            made.Add((DeliveryChanges.Route(record), content.ToJson()));
        }
        return made;
    }

    private static string Meaning(string outcome) => DecisionOutcomes.All.FirstOrDefault(o => o.Code == outcome).Meaning ?? outcome;
}
