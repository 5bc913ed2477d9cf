using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Ledger;
using E = NotifyHub.Domain.Ledger.LedgerEventTypes;

namespace NotifyHub.Domain.Strategy;

/// <summary>One change to a strategy discussion: its new state, the deliveries it makes or moves (with content), and its own events.</summary>
public sealed record StrategyChange(StrategyDiscussion Discussion, IReadOnlyList<(Decision Change, byte[]? Content)> Deliveries, IReadOnlyList<LedgerEvent> Events)
{
    public bool Changed => Events.Count > 0 || Deliveries.Any(d => d.Change.Changed);
}

/// <summary>
/// The decisions about a strategy discussion, as pure functions of what its incident's ledger holds (docs/strategy-discussions.md). Each
/// one answers the discussion as it now is, the deliveries it makes — what is due from the chair, invitations, minutes,
/// actions: notifications like any other, with receipts, due times, lateness and escalation — and the events, which hold
/// ids, codes, counts and times, never what anyone wrote.
/// </summary>
public static class StrategyChanges
{
    /// <summary>
    /// A decision of strategy-discussion opens discussion <paramref name="number"/>, chaired by the MASH that decided
    /// (<paramref name="chair"/>: its incident delivery), due to be held by <paramref name="heldBy"/>. What is due from the
    /// chair is a delivery of its own, never sent, met when the chair records it held.
    /// </summary>
    public static StrategyChange Open(int number, int decisionVersion, DeliveryRecord chair, DueInfo heldBy, DateTimeOffset now)
    {
        var discussion = new StrategyDiscussion(number, decisionVersion, chair.RecipientId, now, heldBy.At, null, [], [], null, null);
        var receipt = new ReceiptState(DeliveryStatus.Delivered, [DeliveryChannels.Inbox], 0, 0, 0, null, now, null, null, null);
        var due = DeliveryRecord.New(chair.IncidentId, DeliveryKey.StrategyDue(chair.RecipientId, number), chair.RecipientType, chair.RecipientName,
            "strategy-due", chair.Children, [], 0, chair.ForceCode, chair.IncidentReference, heldBy, now) with { Receipt = receipt };
        var routed = DeliveryChanges.Route(due);
        return new(discussion, [(routed, null)], [LedgerEvent.Of(E.StrategyOpened, now, due.RecipientId, ("discussion", (long)number),
            ("version", (long)decisionVersion), ("heldBy", heldBy.At), ("heldByRule", heldBy.Rule))]);
    }

    /// <summary>
    /// The chair schedules it (once): when and how it meets, and the invitees — each sent an invitation, whose answer is due
    /// <paramref name="remindBefore"/> before the meeting (unanswered by then, it is late and its invitee is reminded).
    /// </summary>
    public static StrategyChange Schedule(StrategyDiscussion d, DeliveryRecord chair, Meeting meeting, IReadOnlyList<Invitee> invitees, TimeSpan remindBefore,
        DateTimeOffset now)
    {
        if (d.Meeting is not null || d.Held is not null) return new(d, [], []);
        var scheduled = d with { Meeting = meeting, Invitees = [.. invitees.DistinctBy(i => i.OrganisationId)] };
        var invitations = scheduled.Current.Select(i => Invite(scheduled, chair, i, remindBefore, now)).ToList();
        return new(scheduled, invitations, [LedgerEvent.Of(E.StrategyScheduled, now, DeliveryKey.StrategyDue(d.Chair, d.Number), ("discussion", (long)d.Number),
            ("at", meeting.At), ("how", meeting.How), ("invited", (long)invitations.Count),
            ("probation", (long)scheduled.Current.Count(i => i.Why == InviteReasons.Probation)),
            ("gpPractices", (long)scheduled.Current.Count(i => i.Why == InviteReasons.GpPractice)))]);
    }

    /// <summary>The chair adds or removes invitees before it is held: an added one is invited (again, if it was removed); a removed one is sent nothing more.</summary>
    public static StrategyChange ChangeInvitees(StrategyDiscussion d, DeliveryRecord chair, IReadOnlyList<Invitee> add, IReadOnlyList<string> remove,
        TimeSpan remindBefore, IReadOnlyDictionary<string, DeliveryRecord> deliveries, DateTimeOffset now)
    {
        if (d.Meeting is null || d.Held is not null) return new(d, [], []);
        var list = d.Invitees.ToList();
        var invited = new List<(Decision, byte[]?)>();
        foreach (var a in add.DistinctBy(a => a.OrganisationId))
        {
            var at = list.FindIndex(i => i.OrganisationId == a.OrganisationId);
            if (at >= 0 && !list[at].Removed) continue;
            if (at >= 0) list[at] = list[at] with { Removed = false };
            else list.Add(a);
            if (!deliveries.ContainsKey(DeliveryKey.Invitation(a.OrganisationId, d.Number)))
                invited.Add(Invite(d, chair, at >= 0 ? list[at] : a, remindBefore, now));
        }
        var removed = 0;
        foreach (var r in remove.Distinct(StringComparer.Ordinal))
        {
            var at = list.FindIndex(i => i.OrganisationId == r && !i.Removed);
            if (at < 0) continue;
            list[at] = list[at] with { Removed = true };
            removed++;
            // Its invitation is no longer awaited: not judged, not chased (an answer it gave stays on record).
            if (deliveries.GetValueOrDefault(DeliveryKey.Invitation(r, d.Number)) is { Due: not null, Receipt.Acknowledged: null } invitation)
                invited.Add((new Decision(invitation with { Due = null }, [LedgerEvent.Of(E.StrategyInviteesChanged, now, invitation.RecipientId,
                    ("discussion", (long)d.Number), ("removed", true))]), null));
        }
        if (invited.Count == 0 && removed == 0 && list.SequenceEqual(d.Invitees)) return new(d, [], []);
        var changed = d with { Invitees = list };
        return new(changed, invited, [LedgerEvent.Of(E.StrategyInviteesChanged, now, DeliveryKey.StrategyDue(d.Chair, d.Number), ("discussion", (long)d.Number),
            ("invited", (long)invited.Count(i => i.Item2 is not null)), ("removed", (long)removed))]);
    }

    private static (Decision, byte[]?) Invite(StrategyDiscussion d, DeliveryRecord chair, Invitee i, TimeSpan remindBefore, DateTimeOffset now)
    {
        var meeting = d.Meeting!;
        var answerBy = meeting.At - remindBefore;
        var record = DeliveryRecord.New(chair.IncidentId, DeliveryKey.Invitation(i.OrganisationId, d.Number), i.Type, i.Name, "invitation-" + i.Why, [], [], 0,
            chair.ForceCode, chair.IncidentReference, new DueInfo(answerBy > now ? answerBy : now, "answer-before-meeting", false), now);
        var content = new FollowUpContent(DeliveryKinds.Invitation, d.DecisionVersion, null, null, null, null, null, null, null, null, d.Chair, chair.ForceCode,
            chair.IncidentReference) { Discussion = d.Number, Chair = d.Chair, MeetingAt = meeting.At, How = meeting.How, JoiningDetails = meeting.JoiningDetails };
        return (DeliveryChanges.Route(record), content.ToJson());
    }

    /// <summary>An invitee answers: its invitation is acknowledged with the answer; the first answer stands.</summary>
    public static Decision Answer(DeliveryRecord invitation, string answer, AcknowledgedBy by, DateTimeOffset now)
    {
        var ack = Receipt.Acknowledge(invitation.Receipt, by.Name, by.Role, now);
        if (!ack.Changed) return Decision.None(invitation, "already answered");
        return new(invitation with { Receipt = ack.State, Answer = answer }, [
            LedgerEvent.Of(E.Acknowledged, now, invitation.RecipientId, ("role", by.Role), ("how", "answer"), ("byDue", invitation.DueAt is { } due ? now <= due : null),
                ("kind", DeliveryKinds.Invitation)),
            LedgerEvent.Of(E.StrategyAnswered, now, invitation.RecipientId, ("discussion", (long)(DeliveryKey.NumberOf(invitation.RecipientId) ?? 0)), ("answer", answer)),
        ]);
    }

    /// <summary>An invitee sends what it knows, before the discussion is held: kept with the discussion (only the chair and the invitees read it).</summary>
    public static StrategyChange Inform(StrategyDiscussion d, DeliveryRecord invitation, string text, DateTimeOffset now)
    {
        if (d.Held is not null || !d.IsInvited(invitation.OrganisationId)) return new(d, [], []);
        var changed = d with { Contributions = [.. d.Contributions, new Contribution(invitation.OrganisationId, text, now)] };
        var sent = LedgerEvent.Of(E.StrategyInformationSent, now, invitation.RecipientId, ("discussion", (long)d.Number), ("length", (long)text.Length));
        return new(changed, [(new Decision(invitation with { InformedAt = invitation.InformedAt ?? now }, [sent]), null)], []);
    }

    /// <summary>
    /// The chair records it held: when, who attended (each invitation marked attended or not), the outcome and the actions,
    /// each a notification to its owner due at the end of the working day on its day. What was due from the chair is met, and keeps
    /// when it was held (<see cref="DeliveryRecord.HeldAt"/>) for the strategy report.
    /// </summary>
    public static StrategyChange Held(StrategyDiscussion d, IReadOnlyDictionary<string, DeliveryRecord> deliveries, DateTimeOffset heldAt,
        IReadOnlyList<string> attended, string outcome, IReadOnlyList<StrategyAction> actions, IReadOnlyDictionary<string, FollowUpRecipient> owners,
        TimeOnly? workingDayEndsAt, DateTimeOffset now)
    {
        if (d.Held is not null) return new(d, [], []);
        var held = d with { Held = new HeldRecord(heldAt, [.. attended.Distinct(StringComparer.Ordinal)], outcome, actions, now) };
        var changes = new List<(Decision, byte[]?)>();
        var dueKey = DeliveryKey.StrategyDue(d.Chair, d.Number);
        if (deliveries.GetValueOrDefault(dueKey) is { } due)
        {
            var met = Receipt.Acknowledge(due.Receipt, "", "chair", now);
            if (met.Changed)
                changes.Add((new Decision(due with { Receipt = met.State, HeldAt = heldAt }, [LedgerEvent.Of(E.Acknowledged, now, dueKey, ("role", "chair"), ("how", "held"),
                    ("byDue", due.DueAt is { } at ? heldAt <= at : null), ("kind", DeliveryKinds.StrategyDue))]), null));
        }
        foreach (var invitee in d.Current)
        {
            if (deliveries.GetValueOrDefault(DeliveryKey.Invitation(invitee.OrganisationId, d.Number)) is { } invitation)
            {
                var came = held.Held!.Attended.Contains(invitee.OrganisationId);
                changes.Add((new Decision(invitation with { Attended = came }, [LedgerEvent.Of(E.StrategyHeld, now, invitation.RecipientId,
                    ("discussion", (long)d.Number), ("attended", came))]), null));
            }
        }
        var chair = deliveries.GetValueOrDefault(d.Chair);
        for (var k = 0; k < actions.Count; k++)
        {
            if (!owners.TryGetValue(actions[k].Owner, out var owner)) continue;
            var record = DeliveryRecord.New(chair?.IncidentId ?? deliveries.Values.First().IncidentId, DeliveryKey.Action(owner.Id, d.Number, k + 1), owner.Type,
                owner.Name, "strategy-action", [], [], 0, chair?.ForceCode, chair?.IncidentReference,
                new DueInfo(UkTime.EndOfWorkingDay(actions[k].DueOn, workingDayEndsAt), "action", false), now);
            var content = new FollowUpContent(DeliveryKinds.Action, d.DecisionVersion, null, null, null, null, null, null, null, null, d.Chair, chair?.ForceCode,
                chair?.IncidentReference) { Discussion = d.Number, Chair = d.Chair, Action = actions[k].Action, DueOn = actions[k].DueOn, HeldAt = heldAt,
                StrategyOutcome = outcome };
            changes.Add((DeliveryChanges.Route(record), content.ToJson()));
        }
        return new(held, changes, [LedgerEvent.Of(E.StrategyHeld, now, dueKey, ("discussion", (long)d.Number), ("heldAt", heldAt), ("outcome", outcome),
            ("invited", (long)d.Current.Count()), ("attended", (long)held.Held!.Attended.Count), ("actions", (long)actions.Count),
            ("byDue", heldAt <= d.HeldBy))]);
    }

    /// <summary>
    /// The chair shares the minutes (once, after it was held): text, or a PDF kept in blob storage. Every invitee gets them,
    /// attended or not — and the chair's own copy is its record — each due by <paramref name="minutesDue"/>.
    /// </summary>
    public static StrategyChange ShareMinutes(StrategyDiscussion d, DeliveryRecord chair, MinutesRecord minutes, Func<Invitee, DueInfo> minutesDue,
        DateTimeOffset now)
    {
        if (d.Held is null || d.Minutes is not null) return new(d, [], []);
        var shared = d with { Minutes = minutes };
        var changes = new List<(Decision, byte[]?)>();
        foreach (var invitee in d.Current)
        {
            var record = DeliveryRecord.New(chair.IncidentId, DeliveryKey.Minutes(invitee.OrganisationId, d.Number), invitee.Type, invitee.Name, "strategy-minutes",
                [], [], 0, chair.ForceCode, chair.IncidentReference, minutesDue(invitee), now);
            var content = new FollowUpContent(DeliveryKinds.Minutes, d.DecisionVersion, null, null, null, null, null, null, null, null, d.Chair, chair.ForceCode,
                chair.IncidentReference)
            {
                Discussion = d.Number, Chair = d.Chair, MeetingAt = d.Meeting?.At, HeldAt = d.Held.HeldAt, StrategyOutcome = d.Held.Outcome,
                MinutesText = minutes.Text, MinutesPdf = minutes.Blob is not null ? true : null,
            };
            changes.Add((DeliveryChanges.Route(record), content.ToJson()));
        }
        return new(shared, changes, [LedgerEvent.Of(E.StrategyMinutesShared, now, DeliveryKey.StrategyDue(d.Chair, d.Number), ("discussion", (long)d.Number),
            ("to", (long)changes.Count), ("pdf", minutes.Blob is not null), ("length", (long?)minutes.Text?.Length ?? minutes.PdfBytes))]);
    }

    /// <summary>The retention purge: what invitees sent, the minutes' text, the joining details and the actions' words go; times, codes and owners stay.</summary>
    public static StrategyChange PurgeText(StrategyDiscussion d, DateTimeOffset now)
    {
        if (d.TextPurgedAt is not null) return new(d, [], []);
        var purged = d with
        {
            Meeting = d.Meeting is { } m ? m with { JoiningDetails = null } : null,
            Contributions = [.. d.Contributions.Select(c => c with { Text = null })],
            Held = d.Held is { } h ? h with { Actions = [.. h.Actions.Select(a => a with { Action = null })] } : null,
            Minutes = d.Minutes is { } min ? min with { Text = null } : null,
            TextPurgedAt = now,
        };
        return new(purged, [], [LedgerEvent.Of(E.StrategyTextPurged, now, DeliveryKey.StrategyDue(d.Chair, d.Number), ("discussion", (long)d.Number))]);
    }
}
