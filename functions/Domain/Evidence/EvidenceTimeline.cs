using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Routing;
using NotifyHub.Domain.Strategy;
using NotifyHub.Domain.Timeliness;
using E = NotifyHub.Domain.Ledger.LedgerEventTypes;

namespace NotifyHub.Domain.Evidence;

/// <summary>One event of an evidence export, as read back from it (<see cref="EvidenceExport"/>).</summary>
public sealed record EvidenceEvent(long Version, string Type, DateTimeOffset At, string? Subject, JsonObject Data, string Hash)
{
    public string? String(string key) => EvidenceJson.String(Data, key);
    public long? Number(string key) => EvidenceJson.Number(Data, key);
    public bool? Flag(string key) => Data[key] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;
    public DateTimeOffset? Instant(string key) => EvidenceJson.Instant(Data, key);
}

/// <summary>An anchor that holds the incident's chain: its number, when the hub signed it, and the last event it holds.</summary>
public sealed record AnchorCover(long Number, DateTimeOffset SignedAt, long Version);

/// <summary>One line of the timeline: when, who it concerns (an organisation by name), what happened in words, and the event's hash.</summary>
public sealed record TimelineEntry(long Version, DateTimeOffset At, string Who, string What, string Hash);

/// <summary>
/// One notification sent for the incident, folded from its events: to whom and what, when it was shared and delivered (or
/// why not), who acknowledged it in what role and when, and when it was due and marked late.
/// </summary>
public sealed record ToldEntry(string Subject, string Who, string What, DateTimeOffset SharedAt)
{
    /// <summary>When it was put in the recipient's NotifyHub inbox, to wait there until fetched.</summary>
    public DateTimeOffset? AvailableAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public string? DeliveredHow { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgedHow { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? LateAt { get; init; }

    /// <summary>Whether it was late, on time or not yet due, as at <paramref name="now"/>, in words.</summary>
    public string Timeliness(DateTimeOffset now) => (DueAt, AcknowledgedAt, LateAt) switch
    {
        (null, _, _) => "No due time",
        ({ } due, { } ack, _) when ack <= due => "On time",
        ({ } due, { } ack, _) => $"Late — was due {UkTime.Describe(due)}, acknowledged after it",
        ({ } due, null, { }) => $"Late — was due {UkTime.Describe(due)}, not yet acknowledged",
        ({ } due, null, null) when due <= now => $"Overdue — was due {UkTime.Describe(due)}",
        ({ } due, null, null) => $"Not yet due — due {UkTime.Describe(due)}",
    };

    public bool IsLate => (DueAt, AcknowledgedAt, LateAt) is ({ } due, { } ack, _) && ack > due || LateAt is not null;
}

/// <summary>
/// An evidence export as a timeline for people (<c>OpenEvidenceTimeline</c>): every event in time order, described in plain
/// English — who was told what and when, who acknowledged it, what was late — and a summary per notification. Only what
/// the events hold: ids, codes, numbers, times and the roles acknowledgers gave; organisations are named from the
/// <paramref name="names"/> the caller reads from the ledger's deliveries. Never a child, an adult or what happened. Pure.
/// </summary>
public static class EvidenceTimeline
{
    /// <summary>The export's events, in version order (an event that cannot be read is left out: the verifier names it).</summary>
    public static IReadOnlyList<EvidenceEvent> Events(JsonObject export)
    {
        var list = new List<EvidenceEvent>();
        foreach (var node in export["events"] as JsonArray ?? [])
        {
            if (node is not JsonObject e || EvidenceJson.Number(e, "version") is not { } version || EvidenceJson.String(e, "type") is not { } type
                || EvidenceJson.Instant(e, "at") is not { } at) continue;
            list.Add(new EvidenceEvent(version, type, at, EvidenceJson.String(e, "subject"), e["data"] as JsonObject ?? [], EvidenceJson.String(e, "hash") ?? ""));
        }
        return [.. list.OrderBy(e => e.Version)];
    }

    /// <summary>When the export was made.</summary>
    public static DateTimeOffset? ExportedAt(JsonObject export) => EvidenceJson.Instant(export, "exportedAt");

    /// <summary>The anchors that hold the incident's chain (its inclusion proofs, with when each anchor was signed), oldest first.</summary>
    public static IReadOnlyList<AnchorCover> Anchors(JsonObject export)
    {
        var signed = new Dictionary<long, DateTimeOffset>();
        foreach (var node in export["anchors"] as JsonArray ?? [])
        {
            if (node is JsonObject a && AnchorStatement.Read(a["statement"] as JsonObject) is { } statement) signed[statement.Number] = statement.CreatedAt;
        }
        var list = new List<AnchorCover>();
        foreach (var node in export["inclusions"] as JsonArray ?? [])
        {
            if (node is JsonObject i && EvidenceJson.Number(i, "anchor") is { } number && EvidenceJson.Number(i, "version") is { } version
                && signed.TryGetValue(number, out var at)) list.Add(new AnchorCover(number, at, version));
        }
        return [.. list.OrderBy(a => a.Number)];
    }

    /// <summary>Every event as a line of the timeline, in time order (events of the same instant in the order recorded).</summary>
    public static IReadOnlyList<TimelineEntry> Entries(IReadOnlyList<EvidenceEvent> events, IReadOnlyDictionary<string, string> names) =>
        [.. events.OrderBy(e => e.At).ThenBy(e => e.Version).Select(e => new TimelineEntry(e.Version, e.At, Who(e, names), Describe(e, names), e.Hash))];

    /// <summary>
    /// Every notification the incident sent, in the order shared: what the recipients were told. What was owed rather than
    /// sent — a MASH's decision, a chair's strategy discussion — is in the timeline, not here.
    /// </summary>
    public static IReadOnlyList<ToldEntry> Told(IReadOnlyList<EvidenceEvent> events, IReadOnlyDictionary<string, string> names)
    {
        var told = new Dictionary<string, ToldEntry>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var e in events.OrderBy(e => e.Version))
        {
            if (e.Subject is not { } subject) continue;
            if (e.Type == E.DeliveryRouted)
            {
                if (DeliveryKey.KindOf(subject) is DeliveryKinds.DecisionDue or DeliveryKinds.StrategyDue or null || told.ContainsKey(subject)) continue;
                told[subject] = new ToldEntry(subject, OrganisationName(subject, names), Capitalised(Thing(subject)), e.At) { DueAt = e.Instant("dueAt") };
                order.Add(subject);
                continue;
            }
            if (!told.TryGetValue(subject, out var entry)) continue;
            told[subject] = e.Type switch
            {
                E.AttemptEnded when entry.AvailableAt is null && e.String("outcome") == "available-in-inbox" => entry with { AvailableAt = e.At },
                E.Delivered when entry.DeliveredAt is null => entry with { DeliveredAt = e.At, DeliveredHow = DeliveredWords(e) },
                E.Failed when entry.DeliveredAt is null => entry with { FailedAt = e.At },
                E.Acknowledged when entry.AcknowledgedAt is null => entry with { AcknowledgedAt = e.At, AcknowledgedHow = AcknowledgedWords(e) },
                E.MarkedLate when entry.LateAt is null => entry with { LateAt = e.At, DueAt = e.Instant("dueAt") ?? entry.DueAt },
                // An invitation withdrawn is no longer awaited: it has no due time any more.
                E.StrategyInviteesChanged when e.Flag("removed") == true => entry with { DueAt = null },
                _ => entry,
            };
        }
        return [.. order.Select(s => told[s])];
    }

    /// <summary>Who an event concerns: the organisation its delivery is addressed to, by name (its id when the ledger has no name for it).</summary>
    public static string Who(EvidenceEvent e, IReadOnlyDictionary<string, string> names)
    {
        if (e.Type == E.ShareUnrouted)
            return ReportLabels.RecipientType(e.String("recipientType") ?? UnroutedType(e.Subject) ?? "") + " (none found)";
        return e.Subject is { } subject ? OrganisationName(subject, names) : "The hub";
    }

    /// <summary>What happened, in plain English, for every event type the ledger records (<see cref="E.All"/>).</summary>
    public static string Describe(EvidenceEvent e, IReadOnlyDictionary<string, string> names)
    {
        var subject = e.Subject ?? "";
        var kind = DeliveryKey.KindOf(subject) ?? DeliveryKinds.Incident;
        var number = DeliveryKey.NumberOf(subject);
        string Due(string lead) => e.Instant("dueAt") is { } due ? $"{lead} {UkTime.Describe(due)}" : "";
        string ByDue() => e.Flag("byDue") switch { true => ", in time", false => ", after it was due", _ => "" };
        return e.Type switch
        {
            E.DeliveryRouted => kind switch
            {
                DeliveryKinds.DecisionDue => "A decision is due from the MASH" + Due(" by"),
                DeliveryKinds.StrategyDue => $"Strategy discussion {number} is due to be held by its chair" + Due(" by"),
                DeliveryKinds.Incident => "Shared the incident" + Due(", due"),
                _ => $"Sent {Thing(subject)}" + Due(", due"),
            },
            E.ShareUnrouted => "Could not be shared: " + UnroutedReasons.Describe(e.String("reason") ?? "").TrimEnd('.'),
            E.AttemptStarted => (e.String("channel") == DeliveryChannels.Inbox ? "Putting it in the NotifyHub inbox" : $"Sending by {Channel(e.String("channel"))}")
                + $" (attempt {e.Number("attempt")}{(e.Flag("resumed") == true ? ", resumed" : "")})",
            E.AttemptEnded => e.String("outcome") switch
            {
                "delivered" => $"Attempt {e.Number("attempt")} by {Channel(e.String("channel"))} accepted" + (e.Number("httpStatus") is { } ok ? $" (HTTP {ok})" : ""),
                "available-in-inbox" => $"Attempt {e.Number("attempt")}: waiting in the NotifyHub inbox for the recipient to fetch it",
                var outcome => $"Attempt {e.Number("attempt")} by {Channel(e.String("channel"))} failed"
                    + (e.String("errorClass") is { } error ? $" ({error})" : "") + (outcome == "permanent-failure" ? ", for good" : "")
                    + (e.Instant("nextAttemptAt") is { } next ? $"; next try {UkTime.Describe(next)}" : ""),
            },
            E.ChannelChanged => $"Changed from {Channel(e.String("from"))} to {Channel(e.String("to"))}" + (e.String("reason") is { } why ? $": {why}" : ""),
            E.Delivered => DeliveredWords(e),
            E.Opened => "Opened from the email link",
            E.Acknowledged => Capitalised(AcknowledgedWords(e)) + ByDue(),
            E.Failed => "Could not be delivered" + (e.String("reason") is { } reason ? $": {reason}" : ""),
            E.MarkedLate => "Marked late — was due " + (e.Instant("dueAt") is { } d ? UkTime.Describe(d) : "earlier")
                + (e.Flag("acknowledged") == true ? "; acknowledged after it" : "; " + KindWording.For(kind).NotDone),
            E.EscalationStarted => "Escalation started",
            E.ReminderSent => "Reminder sent" + NotSent(e.String("outcome")),
            E.AlertSent => "Escalated to the partnership lead" + NotSent(e.String("outcome")),
            E.LinksRevoked => "Email links revoked",
            E.ContentPurged => "Personal data removed under the retention policy",
            E.MessageRequeued => "Queued again: its message was lost",
            E.DecisionRecorded => $"Decision recorded (version {e.Number("version")}): {Words(DecisionOutcomes.All, e.String("outcome"))}"
                + (e.Flag("joint") == true ? ", jointly" : "") + (e.Number("nextSteps") is { } steps and > 0 ? $"; {Count(steps, "next step")}" : ""),
            E.DecisionTextPurged => $"Decision version {e.Number("version")}: its free text removed under the retention policy",
            E.ChallengeRaised => $"Challenge {e.Number("challenge")} raised by {OrganisationName(e.String("by") ?? "", names)} against decision version {e.Number("version")}"
                + Due(", to be answered by"),
            E.ChallengeAnswered => e.String("response") == "upheld"
                ? $"Challenge {e.Number("challenge")} upheld" + (e.Number("newVersion") is { } v ? $": decision version {v} recorded" : "")
                : $"Challenge {e.Number("challenge")} not upheld",
            E.StrategyOpened => $"Strategy discussion {e.Number("discussion")} opened by decision version {e.Number("version")}"
                + (e.Instant("heldBy") is { } by ? $", to be held by {UkTime.Describe(by)}" : ""),
            E.StrategyScheduled => $"Strategy discussion {e.Number("discussion")} scheduled for " + (e.Instant("at") is { } at ? UkTime.Describe(at) : "a time")
                + $" ({Words(MeetingModes.All, e.String("how")).ToLowerInvariant()}); {Count(e.Number("invited") ?? 0, "organisation")} invited",
            E.StrategyInviteesChanged => e.Flag("removed") == true
                ? $"Invitation to strategy discussion {e.Number("discussion")} withdrawn"
                : $"Invitees of strategy discussion {e.Number("discussion")} changed: {e.Number("invited") ?? 0} invited, {e.Number("removed") ?? 0} removed",
            E.StrategyAnswered => $"Answered the invitation: {Words(InvitationAnswers.All, e.String("answer")).ToLowerInvariant()}",
            E.StrategyInformationSent => $"Sent information for strategy discussion {e.Number("discussion")}",
            E.StrategyHeld when kind == DeliveryKinds.Invitation => e.Flag("attended") == true
                ? $"Attended strategy discussion {e.Number("discussion")}"
                : $"Did not attend strategy discussion {e.Number("discussion")}",
            E.StrategyHeld => $"Strategy discussion {e.Number("discussion")} held" + (e.Instant("heldAt") is { } held ? $" {UkTime.Describe(held)}" : "")
                + $": {Words(StrategyOutcomes.All, e.String("outcome"))}; {e.Number("attended") ?? 0} of {e.Number("invited") ?? 0} invited attended"
                + (e.Flag("byDue") == false ? "; held after it was due" : ""),
            E.StrategyMinutesShared => $"Minutes of strategy discussion {e.Number("discussion")} shared with {Count(e.Number("to") ?? 0, "organisation")}",
            E.StrategyTextPurged => $"Strategy discussion {e.Number("discussion")}: its free text removed under the retention policy",
            E.ShareHeld => $"Held at the LA front door for {OrganisationName(e.String("via") ?? "", names)} to review" + Due(", to be released by"),
            E.ShareReleased => e.String("how") == "auto"
                ? "Sent on to the recipient without review: the front door had not released it by its time"
                : $"Released to the recipient by the front door ({e.String("role")})" + ByDue()
                    + (e.Number("removed") is { } removed and > 0 ? $"; {Count(removed, "field")} taken out" : "") + (e.Flag("noted") == true ? "; with a note" : ""),
            E.ShareWithheld => $"Withheld by the front door ({e.String("role")}): {FrontDoor.WithholdReasons.Describe(e.String("reason") ?? "")}"
                + (e.String("reroutedTo") is { } to ? $"; sent instead to {OrganisationName(to, names)}" : ""),
            E.ReviewLapsed => "Not reviewed in time: the share was sent on to its recipient without review",
            _ => "Recorded: " + e.Type,
        };
    }

    /// <summary>The notification a delivery key names, in words: "the incident", "MASH decision version 2", "action 1 of strategy discussion 1".</summary>
    public static string Thing(string subject)
    {
        var n = DeliveryKey.NumberOf(subject);
        var step = DeliveryKey.StepOf(subject);
        return DeliveryKey.KindOf(subject) switch
        {
            DeliveryKinds.DecisionDue => "the MASH's decision",
            DeliveryKinds.Decision => $"MASH decision version {n}",
            DeliveryKinds.NextStep => $"next step {step} of decision version {n}",
            DeliveryKinds.Challenge => $"challenge {n}",
            DeliveryKinds.ChallengeResponse => $"the answer to challenge {n}",
            DeliveryKinds.StrategyDue => $"strategy discussion {n}",
            DeliveryKinds.Invitation => $"the invitation to strategy discussion {n}",
            DeliveryKinds.Minutes => $"the minutes of strategy discussion {n}",
            DeliveryKinds.Action => $"action {step} of strategy discussion {n}",
            DeliveryKinds.RelayReview => $"front-door review {n}",
            _ => "the incident",
        };
    }

    private static string OrganisationName(string subject, IReadOnlyDictionary<string, string> names) =>
        names.TryGetValue(subject, out var name) || names.TryGetValue(DeliveryKey.OrganisationOf(subject), out name) ? name : DeliveryKey.OrganisationOf(subject);

    private static string DeliveredWords(EvidenceEvent e) => e.String("how") switch
    {
        "accepted" => $"Delivered by {Channel(e.String("channel"))}",
        "fetched" => "Delivered: fetched by the recipient's own system",
        "opened" => "Delivered: opened from the email link",
        "acknowledged" => "Delivered: acknowledged when first read",
        _ => "Delivered",
    };

    private static string AcknowledgedWords(EvidenceEvent e)
    {
        var role = e.String("role") is { Length: > 0 } r ? $" (role {r})" : "";
        return e.String("how") switch
        {
            "decision" => $"met: the MASH recorded decision version {e.Number("version")}",
            "held" => "met: the chair recorded it held",
            "answer" => "answered" + role,
            "response" => "answered by the MASH" + role,
            _ when DeliveryKey.KindOf(e.Subject ?? "") is DeliveryKinds.NextStep or DeliveryKinds.Action => "marked done" + role,
            _ => "acknowledged" + role,
        };
    }

    private static string Channel(string? channel) => channel switch
    {
        DeliveryChannels.Webhook => "webhook",
        DeliveryChannels.Email => "email",
        DeliveryChannels.Inbox => "the NotifyHub inbox",
        null => "a channel",
        _ => channel,
    };

    private static string NotSent(string? outcome) => outcome is null or "sent" ? "" : outcome == "no-email-address" ? " — not sent: no email address" : $" — not sent ({outcome})";

    private static string Words(IReadOnlyList<(string Code, string Words)> table, string? code) =>
        table.FirstOrDefault(t => t.Code == code).Words ?? code ?? "not given";

    private static string Count(long n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static string Capitalised(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>The recipient type in an unrouted share's key (<c>{rule}|{type}|c{child}|a{adult}</c>).</summary>
    private static string? UnroutedType(string? key) => key?.Split('|') is [_, var type, ..] ? type : null;
}
