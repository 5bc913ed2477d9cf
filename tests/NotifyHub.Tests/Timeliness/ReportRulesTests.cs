using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Routing;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Timeliness;

/// <summary>The pure rules behind the reports, lateness and the deadline-aware fallback, without Azure.</summary>
public class ReportRulesTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static ShareFact Delivery(string key, string type = "school", DateTimeOffset? reported = null, double dueAfterHours = 24,
        double? deliveredAfterMinutes = 1, double? ackAfterHours = null, bool failed = false, string la = "840", string incident = "inc_1",
        string risk = "medium", string force = "F1", double occurredBeforeMinutes = 30, double? attendedAfterMinutes = 20, double receivedAfterMinutes = 10)
    {
        var at = reported ?? Monday;
        return new ShareFact(key, ShareKinds.Delivery, incident, force, la, DateOnly.FromDateTime(at.UtcDateTime), type, type + "-org", risk, at,
            at.AddMinutes(-occurredBeforeMinutes), attendedAfterMinutes is { } a ? at.AddMinutes(a) : null, at.AddMinutes(receivedAfterMinutes),
            at.AddHours(dueAfterHours), deliveredAfterMinutes is { } d ? at.AddMinutes(receivedAfterMinutes + d) : null,
            ackAfterHours is { } h ? at.AddHours(h) : null, failed, failed ? "retries-exhausted" : null);
    }

    private static ReportQuery Query(string? groupBy = null, string period = "all") =>
        new(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), groupBy, period);

    [Fact]
    public void A_share_acknowledged_by_its_due_time_is_on_time_and_one_acknowledged_after_it_is_late_and_stays_late()
    {
        var now = Monday.AddDays(3);
        var onTime = Delivery("a", ackAfterHours: 2);
        var lateAck = Delivery("b", ackAfterHours: 30);
        var neverAck = Delivery("c");
        var notYetDue = Delivery("d", reported: now.AddHours(-1));
        Assert.False(onTime.IsLate(now));
        Assert.True(lateAck.IsLate(now));
        Assert.True(neverAck.IsLate(now));
        Assert.False(notYetDue.IsLate(now));
        Assert.True(onTime.AcknowledgedByDue);
        Assert.False(lateAck.AcknowledgedByDue);
    }

    [Fact]
    public void The_report_counts_rates_and_medians_per_group_and_counts_police_delay_once_per_incident()
    {
        var facts = new[]
        {
            Delivery("a", ackAfterHours: 2, deliveredAfterMinutes: 1, incident: "inc_1"),
            Delivery("b", ackAfterHours: 30, deliveredAfterMinutes: 3, incident: "inc_1", type: "mash"),
            Delivery("c", deliveredAfterMinutes: 5, incident: "inc_2", occurredBeforeMinutes: 90, receivedAfterMinutes: 30),
            Delivery("d", deliveredAfterMinutes: null, failed: true, incident: "inc_3"),
            new ShareFact("u:inc_1:x", ShareKinds.Unrouted, "inc_1", "F1", "840", new DateOnly(2026, 11, 23), "la-education-safeguarding-team", null, "medium",
                Monday, null, null, null, null, null, null, false, "no-school-urn"),
            new ShareFact("m:F1:R9", ShareKinds.MissingAtSource, null, "F1", "840", new DateOnly(2026, 11, 23), "not-received", null, "unknown",
                Monday, null, null, null, null, null, null, false, "never received"),
        };
        var report = TimelinessReports.Compute(facts, Query(), ["840"], Monday.AddDays(3));
        var t = report.Total;
        Assert.Equal((4, 3, 1, 3, 1, 1, 1), (t.Deliveries, t.DeliveredByDue, t.AcknowledgedByDue, t.Late, t.Failed, t.Unrouted, t.MissingAtSource));
        // delivered by due: a, b, c were delivered within 24 h; d never. acknowledged by due: a only.
        Assert.Equal(3, facts.Count(f => f.DeliveredByDue));
        Assert.Equal(0.75, t.DeliveredByDueRate);
        Assert.Equal(0.25, t.AcknowledgedByDueRate);
        Assert.Equal(new Distribution(3, 180, 276), t.TimeToDeliver); // 1, 3, 5 minutes: median 3 min, p90 4.6 min
        // Three incidents; inc_1 counted once although it has three shares.
        Assert.Equal(3, t.PoliceDelay.ReportedToReceived.Count);
        Assert.Equal(600, t.PoliceDelay.ReportedToReceived.MedianSeconds);
        Assert.Equal(3, t.PoliceDelay.OccurredToAttended.Count);
    }

    [Fact]
    public void Grouping_by_recipient_type_keeps_NPS_and_CRC_apart_and_grouping_by_week_starts_weeks_on_Monday()
    {
        var sunday = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        var facts = new[] { Delivery("a", type: "nps-spoc"), Delivery("b", type: "crc-spoc"), Delivery("c", type: "nps-spoc", reported: sunday) };
        var report = TimelinessReports.Compute(facts, Query(ReportDimensions.RecipientType, ReportDimensions.Week), ["840"], Monday);
        Assert.Equal([("2026-11-23", "crc-spoc", 1), ("2026-11-23", "nps-spoc", 2)],
            report.Groups.Select(g => (g.Period!, g.Key, g.Deliveries)));
        var months = TimelinessReports.Compute(facts, Query(ReportDimensions.Force, ReportDimensions.Month), ["840"], Monday);
        Assert.Equal([("2026-11-01", "F1", 3)], months.Groups.Select(g => (g.Period!, g.Key, g.Deliveries)));
    }

    [Fact]
    public void Grouping_by_organisation_counts_each_organisations_shares_and_the_total_stays_the_whole()
    {
        var facts = new[]
        {
            Delivery("a", type: "school", ackAfterHours: 1) with { OrganisationId = "school-1" },
            Delivery("b", type: "school", incident: "inc_2") with { OrganisationId = "school-2" },
            Delivery("c", type: "school", incident: "inc_3", ackAfterHours: 2) with { OrganisationId = "school-1" },
        };
        var report = TimelinessReports.Compute(facts, Query(ReportDimensions.Organisation), ["840"], Monday.AddDays(3));
        Assert.Equal([("school-1", 2, 2), ("school-2", 1, 0)], report.Groups.Select(g => (g.Key, g.Deliveries, g.AcknowledgedByDue)));
        Assert.Equal((3, 2), (report.Total.Deliveries, report.Total.AcknowledgedByDue));
        Assert.Equal(ReportDimensions.Organisation, report.GroupBy);
    }

    [Fact]
    public void Durations_are_exact_to_the_second_below_an_hour_and_within_one_percent_above()
    {
        var histogram = new DurationHistogram();
        foreach (var seconds in new[] { 12.0, 59.4, 3599.0 }) histogram.Add(seconds);
        Assert.Equal(new Distribution(3, 59, 2891), histogram.ToDistribution()); // 12, 59, 3599: p90 = 59 + 0.8 × 3540
        var hours = new DurationHistogram();
        hours.Add(3 * 3600 + 600);
        var median = hours.ToDistribution().MedianSeconds!.Value;
        Assert.InRange(median, (3 * 3600 + 600) * 0.99, (3 * 3600 + 600) * 1.01);
        hours.Add(-5); // a clock that disagrees is left out
        Assert.Equal(1, hours.ToDistribution().Count);
    }

    [Fact]
    public void Shares_outside_the_range_are_not_counted_and_an_empty_range_has_no_rates()
    {
        var report = TimelinessReports.Compute([Delivery("a", reported: new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero))], Query(), ["840"], Monday);
        Assert.Equal(0, report.Total.Deliveries);
        Assert.Null(report.Total.AcknowledgedByDueRate);
        Assert.Equal(new Distribution(0, null, null), report.Total.TimeToDeliver);
    }

    [Fact]
    public void Late_by_is_the_time_from_the_due_time_to_the_acknowledgement_or_to_now()
    {
        var due = Monday;
        Assert.Equal(3 * 3600 + 600, IncidentDeliveries.LateBy(due, due.AddHours(3).AddMinutes(10), due.AddDays(1)));
        Assert.Null(IncidentDeliveries.LateBy(due, due.AddMinutes(-1), due.AddDays(1)));
        Assert.Equal(60, IncidentDeliveries.LateBy(due, null, due.AddMinutes(1)));
        Assert.Null(IncidentDeliveries.LateBy(null, null, due));
    }

    [Fact]
    public void A_webhook_retry_that_would_come_too_close_to_the_due_time_moves_to_the_email_fallback_now()
    {
        var now = Monday;
        var state = new ReceiptState(DeliveryStatus.Sending, [DeliveryChannels.Webhook, DeliveryChannels.Email], 0, 1, 1, now.AddMinutes(5), null, null, null, null);
        var lead = TimeSpan.FromMinutes(30);

        var early = DeadlineAwareRetry.Bend(state, now.AddHours(3), lead, now);
        Assert.Same(state, early); // 5 minutes on, still well before 30 minutes ahead of the due time

        var close = DeadlineAwareRetry.Bend(state, now.AddMinutes(20), lead, now);
        Assert.Equal((1, 0, (DateTimeOffset?)now), (close.ChannelIndex, close.FailuresOnChannel, close.NextAttemptAt));

        var onEmail = state with { ChannelIndex = 1 };
        Assert.Same(onEmail, DeadlineAwareRetry.Bend(onEmail, now.AddMinutes(20), lead, now)); // no fallback left
        Assert.Same(state, DeadlineAwareRetry.Bend(state, null, lead, now)); // no due time known
        var delivered = state with { DeliveredAt = now };
        Assert.Same(delivered, DeadlineAwareRetry.Bend(delivered, now.AddMinutes(20), lead, now));
    }

    [Fact]
    public void A_rollup_cell_keeps_every_fact_exactly_through_its_compact_form()
    {
        var facts = new[]
        {
            Delivery("inc_1.school-1", ackAfterHours: 2, attendedAfterMinutes: null),
            Delivery("inc_1.mash-1", type: "mash", failed: true, deliveredAfterMinutes: null),
            new ShareFact("m:F1:R9", ShareKinds.MissingAtSource, null, "F1", "840", new DateOnly(2026, 11, 23), "not-received", null, "unknown",
                Monday, null, null, null, null, null, null, false, "never received"),
        };
        var row = new Azure.Data.Tables.TableEntity("840", "2026-11-23");
        NotifyHub.Storage.LargeBinary.Write(row, "Facts", RollupStore.Encode(facts));
        Assert.Equal(facts.OrderBy(f => f.Key, StringComparer.Ordinal).Select(F), RollupStore.Decode(row).OrderBy(f => f.Key, StringComparer.Ordinal).Select(F));

        static string F(ShareFact f) => f.ToString();
    }
}

public class DashboardGrantTests
{
    private static readonly DateTimeOffset Expires = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_dashboard_grant_names_its_lead_and_opens_only_with_the_leads_current_nonce()
    {
        var grant = DashboardGrants.For("lead-durham", "n0nce", Expires);
        Assert.Equal("lead-durham", DashboardGrants.LeadOf(grant));
        Assert.True(DashboardGrants.IsCurrent(grant, "n0nce"));
        Assert.False(DashboardGrants.IsCurrent(grant, "revoked-since"));
    }

    [Fact]
    public void A_link_made_before_links_could_be_revoked_opens_until_the_first_revocation()
    {
        var old = new LinkGrant("dashboard:lead-durham", "dashboard", Expires);
        Assert.True(DashboardGrants.IsCurrent(old, DashboardGrants.FirstNonce));
        Assert.False(DashboardGrants.IsCurrent(old, "after-a-revocation"));
    }

    [Theory]
    [InlineData("inc_0123456789abcdef0123456789abcdef.school-100001")]
    [InlineData("dashboard:")]
    [InlineData("Dashboard:lead-durham")]
    public void An_email_links_grant_names_no_lead(string granted) =>
        Assert.Null(DashboardGrants.LeadOf(new LinkGrant(granted, "dashboard", Expires)));

    [Fact]
    public void A_lead_revokes_its_own_links_only_and_an_administrator_must_name_the_lead()
    {
        Assert.Equal(new RevocationTarget("lead-a"), DashboardLinkRevocation.Target(administrator: false, "lead-a", null));
        Assert.Equal(new RevocationTarget("lead-a"), DashboardLinkRevocation.Target(administrator: false, "lead-a", "lead-a"));
        var other = DashboardLinkRevocation.Target(administrator: false, "lead-a", "lead-b");
        Assert.Equal((null, "organisationId", true), (other.LeadId, other.Field, other.Forbidden));
        Assert.Equal(new RevocationTarget("lead-b"), DashboardLinkRevocation.Target(administrator: true, "hub-administrators", "lead-b"));
        var unnamed = DashboardLinkRevocation.Target(administrator: true, "hub-administrators", null);
        Assert.Equal((null, "organisationId", false), (unnamed.LeadId, unnamed.Field, unnamed.Forbidden));
    }
}
