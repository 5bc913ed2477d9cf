using System.Text;
using System.Text.Json;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Domain.Ledger;

namespace NotifyHub.Tests.FrontDoor;

/// <summary>The front door's decisions as pure functions: paths, hops, holding, releasing, withholding, sending on, and the report.</summary>
public sealed class FrontDoorRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SchoolDue = new(2026, 12, 8, 8, 30, 0, TimeSpan.Zero);
    private static readonly Organisation Mash = new("mash-840", OrganisationTypes.Mash, "Synthetic MASH", true, LaCode: "840");
    private static readonly RelayHop Hop = new("school-100001", Mash.Id, Mash.Type, Mash.Name, AutoReleaseWhenLate: true);
    private static readonly AcknowledgedBy Reviewer = new("Sam Synthetic", "MASH social worker");

    private static DeliveryRecord Routed(DateTimeOffset? due = null) => DeliveryRecord.New("inc_1", "school-100001", OrganisationTypes.School, "Synthetic School",
        "operation-encompass", [0], [], 0, "X", "REF-1", new DueInfo(due ?? SchoolDue, "next-school-day-start", false), Now);

    private static (DeliveryRecord Share, DeliveryRecord Review) Held(DateTimeOffset? due = null, bool autoRelease = true)
    {
        var (share, review) = FrontDoorChanges.Hold(Routed(due), Hop with { AutoReleaseWhenLate = autoRelease }, 1, TimeSpan.FromHours(1), Now);
        return (share.Record, review.Record);
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void A_held_share_keeps_its_key_and_due_time_is_never_attempted_and_its_review_is_due_the_margin_before_it()
    {
        var (share, review) = FrontDoorChanges.Hold(Routed(), Hop, 3, TimeSpan.FromHours(1), Now);
        Assert.Equal("school-100001", share.Record.RecipientId);
        Assert.Equal(SchoolDue, share.Record.DueAt);
        Assert.True(share.Record.IsHeld);
        Assert.False(share.Record.IsOpen);
        Assert.False(share.Record.WithRecipient);
        Assert.Equal([LedgerEventTypes.DeliveryRouted, LedgerEventTypes.ShareHeld], share.Events.Select(e => e.Type));
        Assert.Equal("mash-840~v3", review.Record.RecipientId);
        Assert.Equal(DeliveryKinds.RelayReview, review.Record.Kind);
        Assert.Equal("school-100001", review.Record.Regarding);
        Assert.Equal(SchoolDue.AddHours(-1), review.Record.DueAt);
        Assert.True(review.Record.IsOpen);
        Assert.False(DeliveryChanges.Claim(share.Record, [DeliveryChannels.Webhook], Now, TimeSpan.FromMinutes(1), "n").Changed);
    }

    [Fact]
    public void A_share_due_sooner_than_the_margin_is_due_for_release_at_once_never_before_it_was_held()
    {
        var (_, review) = Held(due: Now.AddMinutes(20));
        Assert.Equal(Now, review.DueAt);
    }

    [Fact]
    public void Releasing_acknowledges_the_review_with_the_role_opens_the_share_now_and_is_refused_once_decided()
    {
        var (share, review) = Held();
        var later = Now.AddHours(2);
        var (reviewed, released) = FrontDoorChanges.Release(review, share, new ReleaseInput(Reviewer, "A note", ["child.whatChildSaid"]), later);
        Assert.Equal("MASH social worker", reviewed.Record.Receipt.Acknowledged!.Role);
        Assert.Equal(HoldStates.Released, reviewed.Record.Answer);
        Assert.Equal((HoldStates.Released, later, true), (released.Record.Hold!.State, released.Record.Hold.At!.Value, released.Record.Hold.OnTime!.Value));
        Assert.True(released.Record.IsOpen);
        Assert.Equal(later, released.Record.Receipt.NextAttemptAt);
        var e = Assert.Single(released.Events);
        Assert.Equal((LedgerEventTypes.ShareReleased, "reviewed", 1L, true), (e.Type, e.String("how"), e.Number("removed")!.Value, e.Flag("noted")!.Value));

        var (again, notAgain) = FrontDoorChanges.Release(reviewed.Record, released.Record, new ReleaseInput(Reviewer, null, []), later.AddMinutes(1));
        Assert.False(notAgain.Changed);
        Assert.StartsWith("it was released on", again.Refused);
        Assert.False(FrontDoorChanges.Withhold(reviewed.Record, released.Record, new WithholdInput(Reviewer, WithholdReasons.Duplicate, null), null, later).Share.Changed);
    }

    [Fact]
    public void A_release_after_its_time_or_after_the_review_was_judged_late_is_not_on_time()
    {
        var (share, review) = Held();
        var afterDue = review.DueAt!.Value.AddMinutes(1);
        Assert.False(FrontDoorChanges.Release(review, share, new ReleaseInput(Reviewer, null, []), afterDue).Share.Record.Hold!.OnTime);
        var judged = DeliveryChanges.MarkLate(review, afterDue).Record;
        Assert.False(FrontDoorChanges.Release(judged, share, new ReleaseInput(Reviewer, null, []), Now.AddMinutes(5)).Share.Record.Hold!.OnTime);
    }

    [Fact]
    public void A_late_review_sends_its_share_on_only_where_the_area_chose_so_closing_the_review_without_an_acknowledgement()
    {
        var (share, review) = Held(autoRelease: true);
        var late = DeliveryChanges.MarkLate(review, review.DueAt!.Value.AddSeconds(1)).Record;
        var (closed, sent) = FrontDoorChanges.AutoRelease(late, share, late.LateAt!.Value, Now);
        Assert.Equal(HoldStates.AutoReleased, sent.Record.Hold!.State);
        Assert.Equal(Now, sent.Record.Receipt.NextAttemptAt);
        Assert.Equal("auto", Assert.Single(sent.Events).String("how"));
        Assert.Null(closed.Record.Receipt.Acknowledged);
        Assert.True(closed.Record.Closed);
        Assert.False(closed.Record.IsOpenLate);
        Assert.Equal(LedgerEventTypes.ReviewLapsed, Assert.Single(closed.Events).Type);

        var (keptShare, keptReview) = Held(autoRelease: false);
        var keptLate = DeliveryChanges.MarkLate(keptReview, keptReview.DueAt!.Value.AddSeconds(1)).Record;
        var (notClosed, notSent) = FrontDoorChanges.AutoRelease(keptLate, keptShare, keptLate.LateAt!.Value, Now);
        Assert.False(notClosed.Changed || notSent.Changed);
        Assert.True(keptLate.IsOpenLate);
    }

    [Fact]
    public void A_withheld_share_is_closed_never_judged_late_and_its_facts_count_it_as_withheld()
    {
        var (share, review) = Held();
        var (reviewed, withheld) = FrontDoorChanges.Withhold(review, share, new WithholdInput(Reviewer, WithholdReasons.ChildMovedSchool, "123456"), "school-123456", Now);
        Assert.Equal(HoldStates.Withheld, reviewed.Record.Answer);
        Assert.True(withheld.Record.IsWithheld);
        Assert.False(withheld.Record.AwaitsJudgement);
        Assert.False(DeliveryChanges.MarkLate(withheld.Record, SchoolDue.AddDays(1)).Changed);
        Assert.Equal("school-123456", Assert.Single(withheld.Events).String("reroutedTo"));
        var facts = new IncidentFacts("X", "REF-1", "840", "medium", Now, Now, null, Now);
        var fact = Domain.Timeliness.ShareFacts.OfDelivery(withheld.Record, facts, 1);
        Assert.Equal((Domain.Timeliness.ShareKinds.Withheld, WithholdReasons.ChildMovedSchool, false), (fact.Kind, fact.Reason, fact.IsLate(SchoolDue.AddDays(1))));

        var rerouted = FrontDoorChanges.Reroute(withheld.Record, new Organisation("school-123456", OrganisationTypes.School, "New School", true, Urn: "123456"), Now);
        Assert.Equal(("school-123456", SchoolDue, 0), (rerouted.Record.RecipientId, rerouted.Record.DueAt!.Value, rerouted.Record.Sequence));
        Assert.True(rerouted.Record.IsOpen);
        Assert.Null(rerouted.Record.Hold);
    }

    [Fact]
    public void Released_content_loses_the_removed_fields_from_every_child_and_carries_the_note()
    {
        var content = Encoding.UTF8.GetBytes("""{"recipientType":"school","forceCode":"X","policeContact":{"name":"PC"},"children":[{"givenName":"A","whatChildSaid":"x"},{"givenName":"B","whatChildSaid":"y"}]}""");
        var released = Json(Encoding.UTF8.GetString(FrontDoorChanges.ReleasedContent(content, ["child.whatChildSaid", "policeContact"],
            new Domain.Routing.FrontDoorNote("mash-840", "Synthetic MASH", true, "Speak to the MASH"))));
        Assert.False(released.TryGetProperty("policeContact", out _));
        Assert.All(released.GetProperty("children").EnumerateArray(), c => Assert.False(c.TryGetProperty("whatChildSaid", out _)));
        Assert.Equal(["A", "B"], released.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("givenName").GetString()));
        Assert.Equal("Speak to the MASH", released.GetProperty("frontDoor").GetProperty("note").GetString());
        Assert.True(released.GetProperty("frontDoor").GetProperty("reviewed").GetBoolean());
    }

    [Theory]
    [InlineData("child.whatChildSaid", null)]
    [InlineData("policeContact", null)]
    [InlineData("incidentReference", "says which incident it is")]
    [InlineData("child.nhsNumber", "is not sent")]
    [InlineData("child.shoeSize", "is not a field")]
    public void A_relay_may_take_out_only_what_the_recipient_is_sent_and_never_what_says_which_incident_it_is(string field, string? problem)
    {
        var found = FrontDoorChanges.RemoveProblem(field, OrganisationTypes.School);
        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }

    [Fact]
    public void Paths_name_each_bad_field_and_direct_means_no_path()
    {
        var bad = AreaPaths.Validate(Json("""{"paths":[{"recipientType":"mash","via":"x"},{"recipientType":"school","via":"a"},{"recipientType":"school","via":"b"},{"recipientType":"yos-team"}],"extra":1}"""));
        Assert.Equal(["extra", "paths[0].recipientType", "paths[2].recipientType", "paths[3].via"], bad.Errors.ToDictionary().Keys.Order());
        var ok = AreaPaths.Validate(Json("""{"paths":[{"recipientType":"school","via":"mash-840","autoReleaseWhenLate":true},{"recipientType":"yos-team","via":"direct"}]}"""));
        Assert.Equal([new AreaPath("school", "mash-840", true)], ok.Value);
        Assert.False(AreaPaths.Validate(Json("""[{"recipientType":"school","via":"m"}]""")).IsValid);
    }

    [Fact]
    public void Only_an_active_MASH_or_LA_education_team_covering_the_LA_relays_and_one_that_cannot_is_passed_by_so_the_share_goes_direct()
    {
        Assert.Null(AreaPaths.RelayProblem(Mash, "840"));
        Assert.Null(AreaPaths.RelayProblem(Mash with { Type = OrganisationTypes.LaEducationSafeguardingTeam, LaCode = null, LaCodes = ["841", "840"] }, "840"));
        Assert.Contains("not an organisation", AreaPaths.RelayProblem(null, "840"));
        Assert.Contains("deactivated", AreaPaths.RelayProblem(Mash with { Active = false }, "840"));
        Assert.Contains("does not cover LA 841", AreaPaths.RelayProblem(Mash, "841"));
        Assert.Contains("a relay is a", AreaPaths.RelayProblem(Mash with { Type = OrganisationTypes.School }, "840"));

        var paths = new[] { new AreaPath(OrganisationTypes.School, Mash.Id, false) };
        var shares = new[] { ("school-1", OrganisationTypes.School), ("hv-1", OrganisationTypes.HealthVisitingTeam) };
        var hop = Assert.Single(AreaPaths.Hops(shares, "840", paths, new Dictionary<string, Organisation> { [Mash.Id] = Mash }));
        Assert.Equal(("school-1", Mash.Id, false), (hop.RecipientId, hop.ViaId, hop.AutoReleaseWhenLate));
        Assert.Empty(AreaPaths.Hops(shares, "840", paths, new Dictionary<string, Organisation> { [Mash.Id] = Mash with { Active = false } }));
        Assert.Empty(AreaPaths.Hops(shares, "840", paths, new Dictionary<string, Organisation>()));
    }

    [Fact]
    public void The_report_counts_time_held_on_time_and_late_releases_sent_on_withheld_by_reason_and_what_is_still_held()
    {
        HopRow Row(string state, double heldMinutes, bool? onTime = null, string? reason = null, string via = "mash-840") =>
            new("inc", "840", via, "school", "medium", Now, Now.AddHours(1), Now.AddHours(2), state, state == HoldStates.Held ? null : Now.AddMinutes(heldMinutes), reason,
                OnTime: onTime);
        var report = FrontDoorReports.Build(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 31), ["840"],
        [
            Row(HoldStates.Released, 10, onTime: true), Row(HoldStates.Released, 20, onTime: true), Row(HoldStates.Released, 55, onTime: false),
            Row(HoldStates.AutoReleased, 50), Row(HoldStates.Withheld, 30, reason: WithholdReasons.Duplicate, via: "edu-840"),
            Row(HoldStates.Withheld, 40, reason: WithholdReasons.Duplicate), Row(HoldStates.Held, 0),
        ], Now.AddHours(3));
        var t = report.Total;
        Assert.Equal((7, 1, 1, 3, 2, 1, 1, 2), (t.Held, t.StillHeld, t.StillHeldOverdue, t.Released, t.ReleasedOnTime, t.ReleasedLate, t.AutoReleased, t.Withheld));
        Assert.Equal(2, t.WithheldByReason[WithholdReasons.Duplicate]);
        Assert.Equal(0.6667, t.ReleasedOnTimeRate);
        // Six decided: 10, 20, 30, 40, 50 and 55 minutes held (exact to the second below an hour).
        Assert.Equal((6, 35 * 60.0, 52.5 * 60), (t.TimeHeld.Count, t.TimeHeld.MedianSeconds!.Value, t.TimeHeld.P90Seconds!.Value));
        Assert.Equal(["edu-840", "mash-840"], report.ByRelay.Select(l => l.Key));
        Assert.Empty(FrontDoorReports.Build(new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 31), null, [Row(HoldStates.Held, 0)], Now).ByRelay);
    }
}
