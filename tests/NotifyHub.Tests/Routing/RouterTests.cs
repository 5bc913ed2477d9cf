using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Incidents;
using NotifyHub.Domain.Routing;
using static NotifyHub.Tests.Routing.RoutingFixtures;
using R = NotifyHub.Domain.Routing.RoutingRules;
using U = NotifyHub.Domain.Routing.UnroutedReasons;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Tests.Routing;

public class RouterTests
{
    /// <summary>A delivery as one line: "org type rule c[children] a[adults]".</summary>
    private static string Line(PlannedDelivery d) =>
        $"{d.Recipient.Id} {d.RecipientType} {d.Rule} c[{string.Join(",", d.ChildIndexes)}] a[{string.Join(",", d.AdultIndexes)}]";

    private static string Line(UnroutedShare u) => $"{u.Rule} {u.RecipientType} c{u.ChildIndex} a{u.AdultIndex} {u.Reason}";

    private static (string[] Deliveries, string[] Unrouted) Route(Incident incident, TestDirectory? directory = null)
    {
        var decision = Router.Route(incident, (directory ?? TestDirectory.Full()).Snapshot());
        return ([.. decision.Deliveries.Select(Line)], [.. decision.Unrouted.Select(Line)]);
    }

    [Fact]
    public void The_example_incident_goes_to_the_school_both_health_teams_midwifery_the_NPS_SPOC_and_the_MASH()
    {
        var (deliveries, unrouted) = Route(Example());

        Assert.Equal(
        [
            "school-999001 school operation-encompass c[0] a[]",
            "hv-gp-q99001 health-visiting-team health-visiting c[1] a[]",
            "sn-gp-q99001 school-nursing-team school-nursing c[0] a[]",
            "mw-999 midwifery-team midwifery c[] a[0]",
            "nps-999 nps-spoc probation-nps c[0,1] a[1]",
            "mash-999 mash mash c[0,1] a[0,1]",
        ], deliveries);
        Assert.Empty(unrouted);
    }

    [Theory]
    [InlineData(RiskLevel.Standard, false, false)]
    [InlineData(RiskLevel.Medium, true, false)]
    [InlineData(RiskLevel.High, true, true)]
    public void Schools_are_told_at_every_risk_level_the_MASH_from_medium_and_the_MARAC_coordinator_only_at_high(
        RiskLevel risk, bool mash, bool marac)
    {
        var (deliveries, _) = Route(Example() with { RiskLevel = risk });

        Assert.Contains("school-999001 school operation-encompass c[0] a[]", deliveries);
        Assert.Equal(mash, deliveries.Contains("mash-999 mash mash c[0,1] a[0,1]"));
        Assert.Equal(marac, deliveries.Contains("marac-999 marac-coordinator marac c[0,1] a[0,1]"));
    }

    [Fact]
    public void Siblings_at_one_school_get_one_delivery_listing_each_child()
    {
        var example = Example();
        var incident = example.With(example.Children[0], ChildAged(7) with { SchoolUrn = Urn }, ChildAged(12) with { SchoolUrn = "100002" });

        var decision = Router.Route(incident, TestDirectory.Full().Snapshot());

        var school = Assert.Single(decision.Deliveries, d => d.Recipient.Id == "school-999001");
        Assert.Equal([0, 1], school.ChildIndexes);
        Assert.Empty(school.AdultIndexes);
        Assert.Equal(R.OperationEncompass, school.Rule);
        Assert.Contains(decision.Unrouted, u => u.ChildIndex == 2 && u.Reason == U.UrnNotInDirectory);
    }

    [Fact]
    public void A_school_age_child_with_no_urn_goes_to_the_LA_education_team_and_counts_as_unrouted()
    {
        var (deliveries, unrouted) = Route(Example().With(ChildAged(7)));

        Assert.Contains("laed-999 la-education-safeguarding-team school-age-no-school c[0] a[]", deliveries);
        Assert.Equal(["operation-encompass school c0 a no-urn"], unrouted);
    }

    [Fact]
    public void An_electively_home_educated_child_goes_to_the_LA_education_team_and_counts_as_unrouted()
    {
        var (deliveries, unrouted) = Route(Example().With(ChildAged(9) with { ElectivelyHomeEducated = true }));

        Assert.Contains("laed-999 la-education-safeguarding-team school-age-no-school c[0] a[]", deliveries);
        Assert.Contains("sn-qq9 school-nursing-team school-nursing c[0] a[]", deliveries);
        Assert.Equal(["operation-encompass school c0 a elective-home-education"], unrouted);
    }

    [Fact]
    public void A_urn_not_in_the_directory_is_unrouted_and_the_LA_education_team_is_told_instead()
    {
        var (deliveries, unrouted) = Route(Example(), TestDirectory.Full().Remove(T.School, DirectoryKey.Urn, Urn));

        Assert.DoesNotContain(deliveries, d => d.StartsWith("school-", StringComparison.Ordinal));
        Assert.Contains("laed-999 la-education-safeguarding-team school-not-in-directory c[0] a[]", deliveries);
        Assert.Equal(["operation-encompass school c0 a urn-not-in-directory"], unrouted);
    }

    [Fact]
    public void An_inactive_school_counts_as_not_in_the_directory()
    {
        var directory = TestDirectory.Full().Remove(T.School, DirectoryKey.Urn, Urn)
            .Add(Organisation("school-999001", T.School, active: false), DirectoryKey.Urn, Urn);

        var (_, unrouted) = Route(Example(), directory);

        Assert.Equal(["operation-encompass school c0 a urn-not-in-directory"], unrouted);
    }

    [Fact]
    public void With_no_LA_education_team_a_child_with_no_school_is_unrouted_for_both_shares()
    {
        var directory = TestDirectory.Full().Remove(T.LaEducationSafeguardingTeam, DirectoryKey.La, La);

        var (_, unrouted) = Route(Example().With(ChildAged(7)), directory);

        Assert.Equal(
        [
            "operation-encompass school c0 a no-urn",
            "school-age-no-school la-education-safeguarding-team c0 a no-la-education-team",
        ], unrouted);
    }

    [Fact]
    public void A_health_team_covering_the_childs_GP_practice_is_preferred_over_the_postcode_district_team()
    {
        var withGp = Route(Example().With(ChildAged(2) with { GpPracticeOdsCode = Gp }));
        var withoutGp = Route(Example().With(ChildAged(2)));
        var gpNotCovered = Route(Example().With(ChildAged(2) with { GpPracticeOdsCode = "B12345" }));

        Assert.Contains("hv-gp-q99001 health-visiting-team health-visiting c[0] a[]", withGp.Deliveries);
        Assert.DoesNotContain(withGp.Deliveries, d => d.StartsWith("hv-qq9", StringComparison.Ordinal));
        Assert.Contains("hv-qq9 health-visiting-team health-visiting c[0] a[]", withoutGp.Deliveries);
        Assert.Contains("hv-qq9 health-visiting-team health-visiting c[0] a[]", gpNotCovered.Deliveries);
    }

    [Fact]
    public void A_child_whose_GP_practice_and_postcode_district_no_health_team_covers_is_unrouted()
    {
        var directory = TestDirectory.Full()
            .Remove(T.HealthVisitingTeam, DirectoryKey.Gp, Gp).Remove(T.HealthVisitingTeam, DirectoryKey.PostcodeDistrict, District)
            .Remove(T.SchoolNursingTeam, DirectoryKey.Gp, Gp).Remove(T.SchoolNursingTeam, DirectoryKey.PostcodeDistrict, District);

        var (_, unrouted) = Route(Example(), directory);

        Assert.Equal(
        [
            "health-visiting health-visiting-team c1 a no-health-team-for-gp-or-postcode",
            "school-nursing school-nursing-team c0 a no-health-team-for-gp-or-postcode",
        ], unrouted);
    }

    [Fact]
    public void A_four_year_old_in_reception_goes_to_the_school_and_school_nursing_not_health_visiting()
    {
        var (deliveries, unrouted) = Route(Example().With(ChildAged(4) with { SchoolUrn = Urn }).WithAdults());

        Assert.Equal(
        [
            "school-999001 school operation-encompass c[0] a[]",
            "sn-qq9 school-nursing-team school-nursing c[0] a[]",
            "mash-999 mash mash c[0] a[]",
        ], deliveries);
        Assert.Empty(unrouted);
    }

    [Fact]
    public void A_four_year_old_with_no_urn_goes_to_health_visiting_and_is_not_missing_a_school()
    {
        var (deliveries, unrouted) = Route(Example().With(ChildAged(4, days: 300)).WithAdults());

        Assert.Equal(["hv-qq9 health-visiting-team health-visiting c[0] a[]", "mash-999 mash mash c[0] a[]"], deliveries);
        Assert.Empty(unrouted);
    }

    [Fact]
    public void A_child_with_no_urn_counts_as_missing_a_school_from_their_fifth_birthday_not_the_day_before()
    {
        var dayBefore = Route(Example().With(ChildAged(5, days: -1)).WithAdults());
        var onTheDay = Route(Example().With(ChildAged(5)).WithAdults());

        Assert.Contains("hv-qq9 health-visiting-team health-visiting c[0] a[]", dayBefore.Deliveries);
        Assert.Empty(dayBefore.Unrouted);
        Assert.Contains("sn-qq9 school-nursing-team school-nursing c[0] a[]", onTheDay.Deliveries);
        Assert.Contains("laed-999 la-education-safeguarding-team school-age-no-school c[0] a[]", onTheDay.Deliveries);
        Assert.Equal(["operation-encompass school c0 a no-urn"], onTheDay.Unrouted);
    }

    [Fact]
    public void A_child_with_a_urn_is_an_Operation_Encompass_pupil_from_their_fourth_birthday()
    {
        var dayBefore = Route(Example().With(ChildAged(4, days: -1) with { SchoolUrn = Urn }).WithAdults());
        var onTheDay = Route(Example().With(ChildAged(4) with { SchoolUrn = Urn }).WithAdults());

        Assert.Contains("school-999001 school nursery-class c[0] a[]", dayBefore.Deliveries);
        Assert.Contains("hv-qq9 health-visiting-team health-visiting c[0] a[]", dayBefore.Deliveries);
        Assert.Contains("school-999001 school operation-encompass c[0] a[]", onTheDay.Deliveries);
        Assert.Contains("sn-qq9 school-nursing-team school-nursing c[0] a[]", onTheDay.Deliveries);
    }

    [Fact]
    public void Age_is_taken_on_the_London_date_of_the_incident_not_the_UTC_date()
    {
        // 23:30 UTC on 14 July is 00:30 BST on 15 July: the child's fourth birthday.
        var incident = Example() with { OccurredAt = new DateTimeOffset(2026, 7, 14, 23, 30, 0, TimeSpan.Zero) };
        var child = ChildAged(0) with { DateOfBirth = new DateOnly(2022, 7, 15), SchoolUrn = Urn };

        var (deliveries, _) = Route(incident.With(child));

        Assert.Equal(new DateOnly(2026, 7, 15), ChildAge.IncidentDate(incident.OccurredAt));
        Assert.Contains("school-999001 school operation-encompass c[0] a[]", deliveries);
    }

    [Theory]
    [InlineData("2016-03-02", "2026-03-01", 9)]
    [InlineData("2016-03-02", "2026-03-02", 10)]
    [InlineData("2020-02-29", "2025-02-28", 4)]
    [InlineData("2020-02-29", "2025-03-01", 5)]
    [InlineData("2020-02-29", "2024-02-29", 4)]
    [InlineData("2026-11-25", "2026-11-24", 0)]
    public void Age_is_completed_years_and_a_leap_day_birthday_falls_on_1_March(string born, string on, int years)
    {
        Assert.Equal(years, ChildAge.YearsOn(DateOnly.Parse(born), DateOnly.Parse(on)));
    }

    [Fact]
    public void An_early_years_setting_named_by_police_is_told_and_one_not_in_the_directory_is_unrouted()
    {
        var directory = TestDirectory.Full().Add(Organisation("ey-EY123456", T.EarlyYearsSetting), DirectoryKey.Urn, "EY123456");
        var known = Route(Example().With(ChildAged(2) with { EarlyYearsSettingUrn = "EY123456" }), directory);
        var unknown = Route(Example().With(ChildAged(2) with { EarlyYearsSettingUrn = "EY654321" }), directory);

        Assert.Contains("ey-EY123456 early-years-setting early-years-setting c[0] a[]", known.Deliveries);
        Assert.Contains("hv-qq9 health-visiting-team health-visiting c[0] a[]", known.Deliveries);
        Assert.Equal(["early-years-setting early-years-setting c0 a urn-not-in-directory"], unknown.Unrouted);
    }

    [Fact]
    public void An_unborn_child_goes_to_midwifery_only()
    {
        var (deliveries, unrouted) = Route(Example().With(Unborn()).WithAdults());

        Assert.Equal(["mw-999 midwifery-team midwifery c[0] a[]", "mash-999 mash mash c[0] a[]"], deliveries);
        Assert.Empty(unrouted);
    }

    [Fact]
    public void A_pregnant_victim_and_an_unborn_child_share_one_midwifery_delivery_found_by_the_unborn_childs_GP_first()
    {
        var directory = TestDirectory.Full()
            .Add(Organisation("mw-gp-q99001", T.MidwiferyTeam), DirectoryKey.Gp, Gp)
            .Add(Organisation("mw-qq9", T.MidwiferyTeam), DirectoryKey.PostcodeDistrict, District);
        var incident = Example().With(Unborn() with { GpPracticeOdsCode = Gp }).WithAdults(AdultOf(AdultRole.Victim, pregnant: true));

        var (deliveries, _) = Route(incident, directory);
        var (byPostcode, _) = Route(incident.With(Unborn()), directory);

        Assert.Equal(["mw-gp-q99001 midwifery-team midwifery c[0] a[0]", "mash-999 mash mash c[0] a[0]"], deliveries);
        Assert.Contains("mw-qq9 midwifery-team midwifery c[0] a[0]", byPostcode);
    }

    [Fact]
    public void Only_a_pregnant_victim_brings_in_midwifery_not_a_pregnant_perpetrator_or_other_adult()
    {
        var incident = Example().WithAdults(AdultOf(AdultRole.Perpetrator, pregnant: true), AdultOf(AdultRole.Other, pregnant: true));

        var (deliveries, _) = Route(incident);

        Assert.DoesNotContain(deliveries, d => d.Contains(T.MidwiferyTeam, StringComparison.Ordinal));
    }

    [Fact]
    public void With_no_midwifery_team_each_unborn_child_and_pregnant_victim_is_unrouted()
    {
        var directory = TestDirectory.Full().Remove(T.MidwiferyTeam, DirectoryKey.La, La);
        var incident = Example().With(Unborn()).WithAdults(AdultOf(AdultRole.Victim, pregnant: true));

        var (_, unrouted) = Route(incident, directory);

        Assert.Equal(["midwifery midwifery-team c0 a no-midwifery-team", "midwifery midwifery-team c a0 no-midwifery-team"], unrouted);
    }

    [Fact]
    public void NPS_and_CRC_supervision_go_to_separate_SPOCs_under_separate_rules_each_listing_the_children()
    {
        var incident = Example().WithAdults(
            AdultOf(AdultRole.Victim),
            AdultOf(AdultRole.Perpetrator, probation: ProbationProvider.Nps),
            AdultOf(AdultRole.Other, probation: ProbationProvider.Crc));

        var (deliveries, _) = Route(incident);

        Assert.Contains("nps-999 nps-spoc probation-nps c[0,1] a[1]", deliveries);
        Assert.Contains("crc-999 crc-spoc probation-crc c[0,1] a[2]", deliveries);
    }

    [Fact]
    public void With_no_SPOC_for_the_LA_each_supervised_adult_is_unrouted()
    {
        var directory = TestDirectory.Full().Remove(T.CrcSpoc, DirectoryKey.La, La);
        var incident = Example().WithAdults(AdultOf(AdultRole.Perpetrator, probation: ProbationProvider.Crc));

        var (deliveries, unrouted) = Route(incident, directory);

        Assert.DoesNotContain(deliveries, d => d.Contains("spoc", StringComparison.Ordinal));
        Assert.Equal(["probation-crc crc-spoc c a0 no-spoc-for-la"], unrouted);
    }

    [Fact]
    public void A_child_or_young_adult_known_to_the_YOS_brings_in_the_YOS_team_for_the_LA()
    {
        var example = Example();
        var childKnown = Route(example.With(example.Children[0] with { KnownToYos = true }, example.Children[1]));
        var adultKnown = Route(example.WithAdults(example.Adults[0], AdultOf(AdultRole.Perpetrator, yos: true)));

        Assert.Contains("yos-999 yos-team yos c[0,1] a[]", childKnown.Deliveries);
        Assert.Contains("yos-999 yos-team yos c[0,1] a[1]", adultKnown.Deliveries);
        Assert.DoesNotContain(Route(example).Deliveries, d => d.StartsWith("yos-", StringComparison.Ordinal));
    }

    [Fact]
    public void With_no_YOS_team_for_the_LA_each_young_person_known_to_it_is_unrouted()
    {
        var example = Example();
        var incident = example.With(example.Children[0] with { KnownToYos = true }, example.Children[1])
            .WithAdults(AdultOf(AdultRole.Perpetrator, yos: true));

        var (_, unrouted) = Route(incident, TestDirectory.Full().Remove(T.YosTeam, DirectoryKey.La, La));

        Assert.Equal(["yos yos-team c0 a no-yos-for-la", "yos yos-team c a0 no-yos-for-la"], unrouted);
    }

    [Fact]
    public void With_no_MASH_or_MARAC_coordinator_for_the_LA_a_high_risk_incident_has_two_incident_level_unrouted_shares()
    {
        var directory = TestDirectory.Full().Remove(T.Mash, DirectoryKey.La, La).Remove(T.MaracCoordinator, DirectoryKey.La, La);

        var (_, unrouted) = Route(Example() with { RiskLevel = RiskLevel.High }, directory);
        var (_, standard) = Route(Example() with { RiskLevel = RiskLevel.Standard }, directory);

        Assert.Equal(["mash mash c a no-mash-for-la", "marac marac-coordinator c a no-marac-for-la"], unrouted);
        Assert.Empty(standard);
    }

    [Fact]
    public void An_organisation_chosen_by_two_rules_gets_one_delivery_listing_everyone_and_both_rules_in_table_order()
    {
        // A single 0–19 team registered as both the health visiting and the school nursing team for a practice.
        var team = Organisation("zero-19-q99001", T.HealthVisitingTeam);
        var directory = TestDirectory.Full()
            .Remove(T.HealthVisitingTeam, DirectoryKey.Gp, Gp).Remove(T.SchoolNursingTeam, DirectoryKey.Gp, Gp)
            .Add(team, new DirectoryKey(T.HealthVisitingTeam, DirectoryKey.Gp, Gp), new DirectoryKey(T.SchoolNursingTeam, DirectoryKey.Gp, Gp));

        var decision = Router.Route(Example(), directory.Snapshot());

        var delivery = Assert.Single(decision.Deliveries, d => d.Recipient.Id == "zero-19-q99001");
        Assert.Equal("health-visiting+school-nursing", delivery.Rule);
        Assert.Equal([R.HealthVisiting, R.SchoolNursing], delivery.Rules);
        Assert.Equal(T.HealthVisitingTeam, delivery.RecipientType);
        Assert.Equal([0, 1], delivery.ChildIndexes);
    }

    [Fact]
    public void A_school_with_a_nursery_class_and_a_pupil_from_one_family_gets_one_delivery_for_both_rules()
    {
        var (deliveries, _) = Route(Example().With(ChildAged(8) with { SchoolUrn = Urn }, ChildAged(3) with { SchoolUrn = Urn }));

        Assert.Contains("school-999001 school operation-encompass+nursery-class c[0,1] a[]", deliveries);
    }

    [Fact]
    public void Where_several_active_organisations_share_a_key_the_first_by_id_is_chosen()
    {
        var directory = TestDirectory.Full().Remove(T.Mash, DirectoryKey.La, La)
            .Add(Organisation("mash-b", T.Mash), DirectoryKey.La, La).Add(Organisation("mash-a", T.Mash), DirectoryKey.La, La);

        var (deliveries, _) = Route(Example(), directory);

        Assert.Contains("mash-a mash mash c[0,1] a[0,1]", deliveries);
        Assert.DoesNotContain(deliveries, d => d.StartsWith("mash-b", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_unrouted_reason_has_a_description_for_people()
    {
        string[] codes = [U.NoUrn, U.UrnNotInDirectory, U.ElectiveHomeEducation, U.NoHealthTeamForGpOrPostcode, U.NoMidwiferyTeam,
            U.NoSpocForLa, U.NoYosForLa, U.NoMashForLa, U.NoMaracForLa, U.NoLaEducationTeam];

        Assert.Equal(codes.Order(), UnroutedReasons.Descriptions.Keys.Order());
        Assert.All(codes, c => Assert.NotEqual(c, new UnroutedShare(R.Mash, T.Mash, null, null, c).Description));
    }

    [Fact]
    public void The_keys_for_the_example_are_exactly_those_its_decision_can_need()
    {
        var keys = RoutingLookups.KeysFor(Example());

        Assert.Equal(
        [
            new(T.School, DirectoryKey.Urn, Urn),
            // The fallback when the school is not found: the keys assume nothing is found.
            new(T.LaEducationSafeguardingTeam, DirectoryKey.La, La),
            new(T.SchoolNursingTeam, DirectoryKey.Gp, Gp),
            new(T.SchoolNursingTeam, DirectoryKey.PostcodeDistrict, District),
            new(T.HealthVisitingTeam, DirectoryKey.Gp, Gp),
            new(T.HealthVisitingTeam, DirectoryKey.PostcodeDistrict, District),
            new(T.MidwiferyTeam, DirectoryKey.PostcodeDistrict, District),
            new(T.MidwiferyTeam, DirectoryKey.La, La),
            new(T.NpsSpoc, DirectoryKey.La, La),
            new(T.Mash, DirectoryKey.La, La),
        ], keys);
    }

    [Fact]
    public void A_standard_risk_incident_with_no_supervision_needs_no_MASH_MARAC_or_SPOC_keys()
    {
        var keys = RoutingLookups.KeysFor(Example().WithAdults() with { RiskLevel = RiskLevel.Standard });

        Assert.DoesNotContain(keys, k => k.Type is T.Mash or T.MaracCoordinator or T.NpsSpoc or T.CrcSpoc or T.YosTeam or T.MidwiferyTeam);
        Assert.Contains(new DirectoryKey(T.School, DirectoryKey.Urn, Urn), keys);
    }

    [Fact]
    public void A_high_risk_incident_needs_the_MARAC_coordinator_and_MASH_keys_for_its_LA()
    {
        var keys = RoutingLookups.KeysFor(Example() with { RiskLevel = RiskLevel.High });

        Assert.Contains(new DirectoryKey(T.Mash, DirectoryKey.La, La), keys);
        Assert.Contains(new DirectoryKey(T.MaracCoordinator, DirectoryKey.La, La), keys);
    }
}
