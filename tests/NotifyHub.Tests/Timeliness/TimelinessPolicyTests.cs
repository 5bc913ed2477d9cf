using NodaTime;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Timeliness;

public class TimelinessPolicyTests
{
    private static string RuleText(TimelinessPolicy policy, string type, string organisation = "org-1", string risk = "standard") =>
        policy.RuleFor(type, organisation, risk).ToString();

    private static DeadlineRule Parse(string text) =>
        DeadlineRule.TryParse(text, out var rule, out var error) ? rule! : throw new InvalidOperationException(error);

    [Theory]
    [InlineData(OrganisationTypes.School, "standard", "next-school-day 08:30")]
    [InlineData(OrganisationTypes.School, "high", "next-school-day 08:30")]
    [InlineData(OrganisationTypes.EarlyYearsSetting, "standard", "next-working-day 12:00")]
    [InlineData(OrganisationTypes.HealthVisitingTeam, "standard", "next-working-day 12:00")]
    [InlineData(OrganisationTypes.SchoolNursingTeam, "medium", "next-working-day 12:00")]
    [InlineData(OrganisationTypes.MidwiferyTeam, "high", "next-working-day 12:00")]
    [InlineData(OrganisationTypes.NpsSpoc, "standard", "next-working-day 17:00")]
    [InlineData(OrganisationTypes.CrcSpoc, "standard", "next-working-day 17:00")]
    [InlineData(OrganisationTypes.YosTeam, "high", "next-working-day 17:00")]
    [InlineData(OrganisationTypes.Mash, "high", "elapsed 1h")]
    [InlineData(OrganisationTypes.Mash, "medium", "elapsed 24h")]
    [InlineData(OrganisationTypes.Mash, "standard", "elapsed 24h")]
    [InlineData(OrganisationTypes.MaracCoordinator, "high", "working-days 1 17:00")]
    [InlineData(OrganisationTypes.LaEducationSafeguardingTeam, "standard", "next-working-day 17:00")]
    public void The_default_policy_gives_every_recipient_type_the_domain_deadline(string type, string risk, string expected) =>
        Assert.Equal(expected, RuleText(TimelinessPolicy.Default, type, risk: risk));

    [Fact]
    public void Every_recipient_type_except_the_police_and_partnership_leads_has_a_default_of_its_own()
    {
        var configured = TimelinessPolicy.Default.Entries.Select(e => e.RecipientType).ToHashSet();
        var recipients = OrganisationTypes.All.Except([OrganisationTypes.PoliceForce, OrganisationTypes.PartnershipLead]);
        Assert.All(recipients, type => Assert.Contains(type, configured));
    }

    [Fact]
    public void The_entries_in_force_are_listed_in_a_stable_order()
    {
        var entries = TimelinessPolicy.Default.Entries;
        Assert.Equal(entries.OrderBy(e => e.RecipientType, StringComparer.Ordinal).ThenBy(e => e.RiskLevel ?? "", StringComparer.Ordinal), entries);
        Assert.Equal(3, entries.Count(e => e.RecipientType == OrganisationTypes.Mash));
    }

    [Fact]
    public void An_unknown_recipient_type_is_due_at_the_end_of_the_next_working_day() =>
        Assert.Equal("next-working-day 17:00", RuleText(TimelinessPolicy.Default, "carrier-pigeon-loft"));

    [Fact]
    public void The_most_specific_entry_wins_organisation_and_risk_then_organisation_then_type_and_risk_then_type()
    {
        var policy = TimelinessPolicy.Create(
        [
            new PolicyEntry(OrganisationTypes.HealthVisitingTeam, Parse("next-working-day 10:00")),
            new PolicyEntry(OrganisationTypes.HealthVisitingTeam, Parse("elapsed 4h"), RiskLevel: "high"),
            new PolicyEntry(OrganisationTypes.HealthVisitingTeam, Parse("next-working-day 09:00"), OrganisationId: "hv-a"),
            new PolicyEntry(OrganisationTypes.HealthVisitingTeam, Parse("elapsed 2h"), OrganisationId: "hv-a", RiskLevel: "high"),
        ]);

        Assert.Equal("elapsed 2h", RuleText(policy, OrganisationTypes.HealthVisitingTeam, "hv-a", "high"));
        Assert.Equal("next-working-day 09:00", RuleText(policy, OrganisationTypes.HealthVisitingTeam, "hv-a", "medium"));
        Assert.Equal("elapsed 4h", RuleText(policy, OrganisationTypes.HealthVisitingTeam, "hv-b", "high"));
        Assert.Equal("next-working-day 10:00", RuleText(policy, OrganisationTypes.HealthVisitingTeam, "hv-b", "medium"));
    }

    [Fact]
    public void An_organisation_entry_beats_a_risk_entry_for_its_type()
    {
        // organisation > type+risk: the organisation's own deadline applies even to high-risk cases.
        var policy = TimelinessPolicy.Create([new PolicyEntry(OrganisationTypes.Mash, Parse("elapsed 30m"), OrganisationId: "mash-840")]);
        Assert.Equal("elapsed 30m", RuleText(policy, OrganisationTypes.Mash, "mash-840", "high"));
        Assert.Equal("elapsed 1h", RuleText(policy, OrganisationTypes.Mash, "mash-999", "high"));
    }

    [Fact]
    public void An_override_replaces_the_default_for_its_type_and_leaves_the_rest()
    {
        var policy = TimelinessPolicy.Create([new PolicyEntry(OrganisationTypes.NpsSpoc, Parse("next-working-day 12:00"))]);
        Assert.Equal("next-working-day 12:00", RuleText(policy, OrganisationTypes.NpsSpoc));
        Assert.Equal("next-working-day 17:00", RuleText(policy, OrganisationTypes.CrcSpoc));
        Assert.Equal("next-working-day 17:00", RuleText(TimelinessPolicy.Default, OrganisationTypes.NpsSpoc));
    }

    [Fact]
    public void A_later_entry_for_the_same_key_replaces_an_earlier_one()
    {
        var policy = TimelinessPolicy.Create(
        [
            new PolicyEntry(OrganisationTypes.School, Parse("next-school-day 08:45"), OrganisationId: "school-100001"),
            new PolicyEntry(OrganisationTypes.School, Parse("next-school-day 09:00"), OrganisationId: "school-100001"),
        ]);
        Assert.Equal("next-school-day 09:00", RuleText(policy, OrganisationTypes.School, "school-100001"));
        Assert.Single(policy.Entries, e => e.OrganisationId == "school-100001");
    }

    [Fact]
    public void A_policy_can_give_a_type_the_default_lacks_a_deadline()
    {
        var policy = TimelinessPolicy.Create([new PolicyEntry("gp-practice", DeadlineRule.ElapsedAfter(Duration.FromHours(48)))]);
        Assert.Equal("elapsed 48h", RuleText(policy, "gp-practice"));
    }

    [Theory]
    [InlineData("High")]
    [InlineData("critical")]
    [InlineData("")]
    public void An_entry_with_an_unknown_risk_level_is_refused(string risk) =>
        Assert.Throws<ArgumentException>(() => TimelinessPolicy.Create([new PolicyEntry(OrganisationTypes.Mash, DeadlineRule.AfterWorkingDays(1), RiskLevel: risk)]));

    [Fact]
    public void An_entry_with_an_empty_organisation_id_is_refused() =>
        Assert.Throws<ArgumentException>(() => TimelinessPolicy.Create([new PolicyEntry(OrganisationTypes.Mash, DeadlineRule.AfterWorkingDays(1), OrganisationId: "")]));

    [Fact]
    public void The_configured_end_of_the_working_day_applies_to_every_working_days_rule_without_a_time_of_its_own()
    {
        var policy = TimelinessPolicy.Create(
        [
            new PolicyEntry(OrganisationTypes.YosTeam, Parse("working-days 2")),
            new PolicyEntry(OrganisationTypes.NpsSpoc, Parse("working-days 2 12:00")),
        ], workingDayEndsAt: new LocalTime(16, 30));

        Assert.Equal("working-days 1 16:30", RuleText(policy, OrganisationTypes.MaracCoordinator, risk: "high"));
        Assert.Equal("working-days 2 16:30", RuleText(policy, OrganisationTypes.YosTeam));
        Assert.Equal("working-days 2 12:00", RuleText(policy, OrganisationTypes.NpsSpoc));
        Assert.Equal("next-working-day 17:00", RuleText(policy, OrganisationTypes.CrcSpoc));
    }

    [Fact]
    public void The_options_give_the_policy_the_configured_end_of_the_working_day()
    {
        var options = new TimelinessOptions
        {
            WorkingDayEndsAt = "16:00",
            Rules = [new PolicyRuleOptions { RecipientType = OrganisationTypes.Mash, Deadline = "working-days 1" }],
        };
        Assert.Equal("working-days 1 16:00", RuleText(options.Policy, OrganisationTypes.MaracCoordinator));
        Assert.Equal("working-days 1 16:00", RuleText(options.Policy, OrganisationTypes.Mash));
        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        Assert.Equal("17:00", new TimelinessOptions().WorkingDayEndsAt);
    }

    [Theory]
    [InlineData("5pm")]
    [InlineData("17")]
    [InlineData("25:00")]
    [InlineData("17:00:00")]
    [InlineData("")]
    public void A_working_day_end_that_is_not_a_local_time_is_refused_and_named(string value)
    {
        var options = new TimelinessOptions { WorkingDayEndsAt = value };
        var error = Assert.Single(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        Assert.Contains("Timeliness:WorkingDayEndsAt", error.ErrorMessage, StringComparison.Ordinal);
    }
}
