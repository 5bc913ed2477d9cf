using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Ledger;
using NotifyHub.Domain.Routing;
using E = NotifyHub.Domain.Ledger.LedgerEventTypes;

namespace NotifyHub.Domain.FrontDoor;

/// <summary>Why a front door withholds a share: codes, so that the reports count them and no free text reaches the record.</summary>
public static class WithholdReasons
{
    /// <summary>The child has moved school: the share goes to the new school when the relay names it (<c>newSchoolUrn</c>).</summary>
    public const string ChildMovedSchool = "child-moved-school";
    /// <summary>The child is not on the recipient's roll or caseload (and no other recipient is known).</summary>
    public const string NotKnownToRecipient = "not-known-to-recipient";
    /// <summary>Sharing now would put the child or the victim at greater risk.</summary>
    public const string SharingWouldIncreaseRisk = "sharing-would-increase-risk";
    /// <summary>The recipient already has it: another notification of the same incident.</summary>
    public const string Duplicate = "duplicate";
    /// <summary>The relay is handling it another way (for example a strategy discussion with the recipient).</summary>
    public const string HandledAnotherWay = "handled-another-way";

    public static readonly IReadOnlyList<string> All = [ChildMovedSchool, NotKnownToRecipient, SharingWouldIncreaseRisk, Duplicate, HandledAnotherWay];

    public static string Describe(string reason) => reason switch
    {
        ChildMovedSchool => "the child has moved school",
        NotKnownToRecipient => "the child is not known to the recipient",
        SharingWouldIncreaseRisk => "sharing now would increase the risk",
        Duplicate => "the recipient already has it",
        HandledAnotherWay => "it is being handled another way",
        _ => reason,
    };
}

/// <summary>What a relay decides about a held share: released (with a note, or with fields taken out), or withheld with a reason.</summary>
public sealed record ReleaseInput(AcknowledgedBy By, string? Note, IReadOnlyList<string> Remove);

public sealed record WithholdInput(AcknowledgedBy By, string Reason, string? NewSchoolUrn);

/// <summary>
/// The front door's changes to an incident's deliveries, as pure functions (docs/routing.md, "Paths through the LA front
/// door"): a share held and its review sent to the relay; the review released, withheld, or — late, where the area so
/// chose — released by the hub. Each is a change of the share and of its review, recorded with its events in one commit.
/// </summary>
public static class FrontDoorChanges
{
    /// <summary>The fields a relay may not take out: they say which incident the notification is.</summary>
    public static readonly IReadOnlyList<string> Kept = [ContentFields.ForceCode, ContentFields.IncidentReference, ContentFields.OccurredAt];

    /// <summary>
    /// The share <paramref name="routed"/> (as routing made it) held at the front door, and its review <paramref name="number"/>
    /// sent to the relay, due <paramref name="margin"/> before the share (never before <paramref name="now"/>): the share keeps its
    /// key and its due time but is not sent; the review goes through the relay's channels like any notification.
    /// </summary>
    public static (Decision Share, Decision Review) Hold(DeliveryRecord routed, RelayHop hop, int number, TimeSpan margin, DateTimeOffset now)
    {
        var reviewKey = DeliveryKey.RelayReview(hop.ViaId, number);
        var shareDue = routed.DueAt ?? now;
        var releaseDue = shareDue - margin < now ? now : shareDue - margin;
        var held = routed with
        {
            Receipt = routed.Receipt with { NextAttemptAt = null },
            Hold = new FrontDoorHold(reviewKey, hop.ViaId, hop.AutoReleaseWhenLate, releaseDue, HoldStates.Held),
        };
        var share = DeliveryChanges.Route(held);
        share = share with
        {
            Events = [.. share.Events, LedgerEvent.Of(E.ShareHeld, now, held.RecipientId, ("via", hop.ViaId), ("review", reviewKey), ("dueAt", releaseDue),
                ("autoRelease", hop.AutoReleaseWhenLate))],
        };
        var review = DeliveryRecord.New(routed.IncidentId, reviewKey, hop.ViaType, hop.ViaName, "front-door", routed.Children, routed.Adults,
            routed.PriorIncidents, routed.ForceCode, routed.IncidentReference, new DueInfo(releaseDue, "front-door", routed.Due?.Guessed ?? false), now)
            with { Regarding = routed.RecipientId };
        return (share, DeliveryChanges.Route(review));
    }

    /// <summary>What the relay is sent: its own projection of the whole incident, and what it reviews.</summary>
    public static DeliveryContent ReviewContent(DeliveryContent relayProjection, DeliveryRecord share, FrontDoorHold hold) => relayProjection with
    {
        Review = new FrontDoorReview(share.RecipientId, share.RecipientName, share.RecipientType, share.DueAt, hold.ReleaseDueAt, hold.AutoRelease,
            share.Children, share.Adults, RecipientFields(share.RecipientType)),
    };

    /// <summary>The held share's content: the recipient's projection, marked as coming through the relay and not (yet) reviewed.</summary>
    public static DeliveryContent HeldContent(DeliveryContent recipientProjection, RelayHop hop) =>
        recipientProjection with { FrontDoor = new FrontDoorNote(hop.ViaId, hop.ViaName, Reviewed: false) };

    /// <summary>The fields a recipient type is sent, in the order of <see cref="ContentFields.All"/>.</summary>
    public static IReadOnlyList<string> RecipientFields(string recipientType) =>
        Projection.Allowed.TryGetValue(recipientType, out var allowed) ? ContentFields.All.Where(allowed.Contains).ToList() : [];

    /// <summary>Why the relay may not take <paramref name="field"/> out of a <paramref name="recipientType"/>'s share; null when it may.</summary>
    public static string? RemoveProblem(string field, string recipientType)
    {
        if (!ContentFields.All.Contains(field)) return $"'{field}' is not a field of a notification ({string.Join(", ", ContentFields.All)})";
        if (Kept.Contains(field)) return $"'{field}' says which incident it is and stays";
        if (!RecipientFields(recipientType).Contains(field)) return $"a {recipientType} is not sent '{field}'";
        return null;
    }

    /// <summary>
    /// The relay released the share: the review is acknowledged by the person (role) who released it, the share is open for its
    /// first attempt now, and its content becomes <paramref name="releasedContent"/> (the note, fields taken out). Refused when
    /// the share is no longer held (released or withheld already).
    /// </summary>
    public static (Decision Review, Decision Share) Release(DeliveryRecord review, DeliveryRecord share, ReleaseInput input, DateTimeOffset now)
    {
        if (!share.IsHeld || share.Hold is not { } hold) return (Decision.None(review, Refusal(share)), Decision.None(share));
        var ack = Receipt.Acknowledge(review.Receipt, input.By.Name, input.By.Role, now);
        var byDue = InTime(review, hold, now);
        var reviewed = new Decision(review with { Receipt = ack.State, Answer = HoldStates.Released }, [
            .. Delivered(review, now),
            LedgerEvent.Of(E.Acknowledged, now, review.RecipientId, ("role", input.By.Role), ("how", "released"), ("byDue", byDue), ("kind", DeliveryKinds.RelayReview)),
        ]);
        var released = share with
        {
            Hold = hold with { State = HoldStates.Released, At = now, OnTime = byDue },
            Receipt = share.Receipt with { NextAttemptAt = now },
        };
        return (reviewed, new Decision(released, [LedgerEvent.Of(E.ShareReleased, now, share.RecipientId, ("review", review.RecipientId), ("via", hold.Via),
            ("how", "reviewed"), ("role", input.By.Role), ("noted", input.Note is not null), ("removed", (long)input.Remove.Count), ("byDue", byDue))]));
    }

    /// <summary>
    /// The release was due and the relay had not acted, and the area sends such shares on (<see cref="FrontDoorHold.AutoRelease"/>):
    /// the share is open for its first attempt now, its content saying it was not reviewed (as it has said since it was held); the
    /// review is closed unanswered — its lateness and escalation stay on the record. Nothing when the area chose otherwise.
    /// </summary>
    /// <param name="now">When the review was judged late (the monitor's clock).</param>
    /// <param name="sendFrom">When the share's first attempt may go: now, by the real clock (a demo monitor judging ahead of it must not hold the send back).</param>
    public static (Decision Review, Decision Share) AutoRelease(DeliveryRecord review, DeliveryRecord share, DateTimeOffset now, DateTimeOffset sendFrom)
    {
        if (!share.IsHeld || share.Hold is not { AutoRelease: true } hold || review.Receipt.Acknowledged is not null || review.Answer is not null)
            return (Decision.None(review), Decision.None(share));
        var closed = review with { Answer = HoldStates.AutoReleased };
        var released = share with
        {
            Hold = hold with { State = HoldStates.AutoReleased, At = now, OnTime = false },
            Receipt = share.Receipt with { NextAttemptAt = sendFrom < now ? sendFrom : now },
        };
        return (new Decision(closed, [LedgerEvent.Of(E.ReviewLapsed, now, review.RecipientId, ("share", share.RecipientId))]), new Decision(released, [LedgerEvent.Of(E.ShareReleased, now, share.RecipientId, ("review", review.RecipientId),
            ("via", hold.Via), ("how", "auto"), ("byDue", false))]));
    }

    /// <summary>
    /// The relay withheld the share, with a reason: the review is acknowledged by the person (role) who withheld it; the share is
    /// never sent, and counts as withheld — not late, not missing. <paramref name="reroutedTo"/>: the new school it goes to instead.
    /// </summary>
    public static (Decision Review, Decision Share) Withhold(DeliveryRecord review, DeliveryRecord share, WithholdInput input, string? reroutedTo, DateTimeOffset now)
    {
        if (!share.IsHeld || share.Hold is not { } hold) return (Decision.None(review, Refusal(share)), Decision.None(share));
        var ack = Receipt.Acknowledge(review.Receipt, input.By.Name, input.By.Role, now);
        var byDue = InTime(review, hold, now);
        var reviewed = new Decision(review with { Receipt = ack.State, Answer = HoldStates.Withheld }, [
            .. Delivered(review, now),
            LedgerEvent.Of(E.Acknowledged, now, review.RecipientId, ("role", input.By.Role), ("how", "withheld"), ("byDue", byDue),
                ("kind", DeliveryKinds.RelayReview)),
        ]);
        var withheld = share with { Hold = hold with { State = HoldStates.Withheld, At = now, Reason = input.Reason, OnTime = byDue } };
        return (reviewed, new Decision(withheld, [LedgerEvent.Of(E.ShareWithheld, now, share.RecipientId, ("review", review.RecipientId), ("via", hold.Via),
            ("reason", input.Reason), ("role", input.By.Role), ("reroutedTo", reroutedTo), ("byDue", byDue))]));
    }

    /// <summary>
    /// The share a withheld one becomes when the child has moved school: to the new school, with the same children, content and
    /// due time, released at once (the relay has reviewed it) and marked as coming through the front door.
    /// </summary>
    public static Decision Reroute(DeliveryRecord withheld, Directory.Organisation school, DateTimeOffset now)
    {
        var record = DeliveryRecord.New(withheld.IncidentId, school.Id, Directory.OrganisationTypes.School, school.Name, withheld.Rule, withheld.Children,
            withheld.Adults, withheld.PriorIncidents, withheld.ForceCode, withheld.IncidentReference, withheld.Due, now);
        return DeliveryChanges.Route(record);
    }

    /// <summary>
    /// The recipient's content as released: <paramref name="remove"/>'s fields taken out (a child's or an adult's from every
    /// child or adult), and the front-door note — reviewed, with the relay's words for the recipient if any.
    /// </summary>
    public static byte[] ReleasedContent(byte[] content, IReadOnlyList<string> remove, FrontDoorNote note)
    {
        var root = JsonNode.Parse(content)?.AsObject() ?? new JsonObject();
        foreach (var field in remove)
        {
            var (list, name) = field.StartsWith("child.", StringComparison.Ordinal) ? ("children", field["child.".Length..])
                : field.StartsWith("adult.", StringComparison.Ordinal) ? ("adults", field["adult.".Length..]) : (null, field);
            if (list is null) { root.Remove(name); continue; }
            if (root[list] is JsonArray people)
            {
                foreach (var person in people.OfType<JsonObject>()) person.Remove(name);
            }
        }
        root["frontDoor"] = JsonSerializer.SerializeToNode(note, FrontDoorJson.Options);
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    /// <summary>Why a share cannot be released or withheld now: it already has been.</summary>
    public static string Refusal(DeliveryRecord share) => share.Hold switch
    {
        null => "it was not held at the front door",
        { State: HoldStates.Withheld, At: var at } => $"it was withheld on {at:O}",
        { State: HoldStates.AutoReleased, At: var at } => $"it was sent on without review on {at:O}, as its release was late",
        { At: var at } => $"it was released on {at:O}",
    };

    /// <summary>Decided in time: by the release time, and before the lateness monitor judged the review late (whatever clock it judged by).</summary>
    private static bool InTime(DeliveryRecord review, FrontDoorHold hold, DateTimeOffset now) => now <= hold.ReleaseDueAt && review.LateAt is null;

    private static IEnumerable<LedgerEvent> Delivered(DeliveryRecord review, DateTimeOffset now) =>
        review.Receipt.DeliveredAt is null ? [LedgerEvent.Of(E.Delivered, now, review.RecipientId, ("how", "acknowledged"))] : [];
}

internal static class FrontDoorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
