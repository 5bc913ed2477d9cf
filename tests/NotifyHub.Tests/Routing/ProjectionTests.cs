using System.Text;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Incidents;
using NotifyHub.Domain.Routing;
using static NotifyHub.Tests.Routing.RoutingFixtures;
using F = NotifyHub.Domain.Routing.ContentFields;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Tests.Routing;

public class ProjectionTests
{
    /// <summary>
    /// The example with every optional field filled: Alex also has an early-years setting, and an
    /// unborn child is added, so that any field a projection allows shows up in its JSON.
    /// </summary>
    private static Incident Everything()
    {
        var example = Example();
        return example.With(
            example.Children[0] with { EarlyYearsSettingUrn = "EY123456", KnownToYos = true },
            example.Children[1] with { ElectivelyHomeEducated = true },
            Unborn() with { GivenName = "Unnamed" });
    }

    private static PlannedDelivery DeliveryTo(string type, Incident incident) =>
        new(Organisation("org-" + type, type), type, "test", [.. Enumerable.Range(0, incident.Children.Count)], [.. Enumerable.Range(0, incident.Adults.Count)]);

    private static string Json(DeliveryContent content) => Encoding.UTF8.GetString(content.ToJson());

    /// <summary>The content's JSON as projection field names: top-level properties, and child./adult. for list items.</summary>
    private static SortedSet<string> FieldsIn(DeliveryContent content)
    {
        var fields = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in JsonNode.Parse(content.ToJson())!.AsObject())
        {
            switch (name)
            {
                case "recipientType" or "rule": break;
                case "children" or "adults":
                    foreach (var item in value!.AsArray())
                        foreach (var property in item!.AsObject()) fields.Add((name == "children" ? "child." : "adult.") + property.Key);
                    break;
                default: fields.Add(name); break;
            }
        }
        return fields;
    }

    private static readonly string[] Core = [F.ForceCode, F.IncidentReference, F.OccurredAt, F.PriorIncidents];

    public static TheoryData<string, string[]> ExpectedTable => new()
    {
        { T.School, [.. Core, F.ChildPriorIncidents, F.PoliceContact, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth, F.ChildPresent,
            F.ChildWelfareCheckDone, F.ChildWhatChildSaid, F.ChildDemeanour] },
        { T.EarlyYearsSetting, [.. Core, F.ChildPriorIncidents, F.PoliceContact, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth, F.ChildPresent,
            F.ChildWelfareCheckDone, F.ChildWhatChildSaid, F.ChildDemeanour] },
        { T.HealthVisitingTeam, [.. Core, F.ChildPriorIncidents, F.RiskLevel, F.Summary, F.VictimPregnant, F.PoliceContact, F.ChildGivenName, F.ChildFamilyName,
            F.ChildDateOfBirth, F.ChildNhsNumber, F.ChildPresent, F.ChildWelfareCheckDone, F.ChildWhatChildSaid, F.ChildDemeanour,
            F.ChildGpPracticeOdsCode] },
        { T.SchoolNursingTeam, [.. Core, F.ChildPriorIncidents, F.RiskLevel, F.Summary, F.VictimPregnant, F.PoliceContact, F.ChildGivenName, F.ChildFamilyName,
            F.ChildDateOfBirth, F.ChildNhsNumber, F.ChildPresent, F.ChildWelfareCheckDone, F.ChildWhatChildSaid, F.ChildDemeanour,
            F.ChildGpPracticeOdsCode] },
        { T.MidwiferyTeam, [.. Core, F.ChildPriorIncidents, F.RiskLevel, F.Summary, F.VictimPregnant, F.PoliceContact, F.ChildGivenName, F.ChildFamilyName,
            F.ChildDateOfBirth, F.ChildExpectedDueDate, F.ChildNhsNumber, F.ChildPresent, F.ChildWelfareCheckDone, F.ChildWhatChildSaid,
            F.ChildDemeanour, F.ChildGpPracticeOdsCode, F.AdultRole, F.AdultGivenName, F.AdultFamilyName, F.AdultDateOfBirth, F.AdultPregnant] },
        { T.NpsSpoc, [.. Core, F.ChildPriorIncidents, F.RiskLevel, F.Summary, F.PoliceContact, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth,
            F.ChildExpectedDueDate, F.ChildPresent, F.AdultRole, F.AdultGivenName, F.AdultFamilyName, F.AdultDateOfBirth,
            F.AdultPolicePersonReference, F.AdultProbation] },
        { T.CrcSpoc, [.. Core, F.ChildPriorIncidents, F.RiskLevel, F.Summary, F.PoliceContact, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth,
            F.ChildExpectedDueDate, F.ChildPresent, F.AdultRole, F.AdultGivenName, F.AdultFamilyName, F.AdultDateOfBirth,
            F.AdultPolicePersonReference, F.AdultProbation] },
        { T.YosTeam, [.. Core, F.ChildPriorIncidents, F.RiskLevel, F.Summary, F.PoliceContact, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth,
            F.ChildExpectedDueDate, F.ChildPresent, F.ChildKnownToYos, F.AdultRole, F.AdultGivenName, F.AdultFamilyName,
            F.AdultDateOfBirth, F.AdultPolicePersonReference, F.AdultKnownToYos] },
        { T.Mash, [.. F.All] },
        { T.MaracCoordinator, [.. F.All] },
        { T.LaEducationSafeguardingTeam, [.. Core, F.ChildPriorIncidents, F.LaCode, F.PoliceContact, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth,
            F.ChildPresent, F.ChildWelfareCheckDone, F.ChildSchoolUrn, F.ChildElectivelyHomeEducated, F.ChildEarlyYearsSettingUrn] },
        { T.PartnershipLead, [.. Core, F.ReportedAt, F.AttendedAt, F.RiskLevel, F.LaCode, F.ChildCount, F.ChildrenPresentCount, F.AdultCount] },
    };

    [Theory]
    [MemberData(nameof(ExpectedTable))]
    public void Each_recipient_types_allowed_fields_are_exactly_the_documented_ones(string type, string[] expected)
    {
        Assert.Equal(expected.Order(StringComparer.Ordinal), Projection.Allowed[type].Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ExpectedTable))]
    public void Each_recipient_types_content_carries_exactly_its_allowed_fields(string type, string[] expected)
    {
        var incident = Everything();
        var content = type == T.PartnershipLead
            ? Projection.ForPartnershipLead(incident, Prior(incident, 3))
            : Projection.Build(incident, DeliveryTo(type, incident), Prior(incident, 3));

        Assert.Equal(expected.Order(StringComparer.Ordinal), FieldsIn(content));
    }

    [Fact]
    public void Every_recipient_type_but_the_police_and_GP_practices_has_a_projection_and_every_projection_carries_the_cumulative_risk_count()
    {
        // GP practices are invited to strategy discussions (docs/strategy-discussions.md); routing sends them no incident.
        Assert.Equal(T.All.Where(t => t is not (T.PoliceForce or T.GpPractice)).Order(StringComparer.Ordinal), Projection.Allowed.Keys.Order(StringComparer.Ordinal));
        Assert.All(Projection.Allowed.Values, fields => Assert.Contains(F.PriorIncidents, (IReadOnlySet<string>)fields));
        Assert.Equal(7, Projection.Build(Example(), DeliveryTo(T.School, Example()), Prior(Example(), 7)).PriorIncidentsLast12Months);
    }

    [Fact]
    public void A_recipient_type_with_no_projection_gets_nothing()
    {
        var incident = Example();
        Assert.Throws<ArgumentException>(() => Projection.Build(incident, DeliveryTo(T.PoliceForce, incident), Prior(incident, 0)));
    }

    [Fact]
    public void A_schools_content_has_its_pupil_the_childs_voice_and_a_police_contact_but_no_adult_summary_probation_or_other_child()
    {
        var incident = Example();
        var delivery = Router.Route(incident, TestDirectory.Full().Snapshot()).Deliveries.Single(d => d.RecipientType == T.School);

        var content = Projection.Build(incident, delivery, Prior(incident, 1));
        var json = Json(content);

        var pupil = Assert.Single(content.Children!);
        Assert.Equal("Alex", pupil.GivenName);
        Assert.Equal("Example", pupil.FamilyName);
        Assert.Equal(new DateOnly(2016, 3, 2), pupil.DateOfBirth);
        Assert.True(pupil.Present);
        Assert.True(pupil.WelfareCheckDone);
        Assert.Equal("Synthetic: said they hid upstairs.", pupil.WhatChildSaid);
        Assert.Equal("Quiet, tearful.", pupil.Demeanour);
        Assert.Equal("PC Test Officer", content.PoliceContact!.Name);
        Assert.Equal(incident.OccurredAt, content.OccurredAt);
        Assert.Equal(1, content.PriorIncidentsLast12Months);
        Assert.Null(content.Adults);
        foreach (var forbidden in new[]
                 {
                     "Jordan", "Casey", "Sample", "1992-05-10", "1990-01-20", "victim", "perpetrator", "NPS", "North East", "Synthetic Office",
                     "probation", "pregnant", "Sam", "2023-07-15", "P-SYN-0002", "9434765919", "P-SYN-0001", "pushed", "Q99001", "medium",
                 })
        {
            Assert.DoesNotContain(forbidden, json, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_partnership_lead_view_has_counts_and_no_child_or_adult_identifying_data()
    {
        var incident = Example();

        var content = Projection.ForPartnershipLead(incident, Prior(incident, 4));
        var json = Json(content);

        Assert.Equal(2, content.ChildCount);
        Assert.Equal(1, content.ChildrenPresentCount);
        Assert.Equal(2, content.AdultCount);
        Assert.Equal(RiskLevel.Medium, content.RiskLevel);
        Assert.Equal("999", content.LaCode);
        Assert.Equal(4, content.PriorIncidentsLast12Months);
        foreach (var forbidden in new[]
                 {
                     "Alex", "Sam", "Example", "Jordan", "Casey", "Sample", "2016-03-02", "2023-07-15", "1992-05-10", "1990-01-20",
                     "9434765919", "943 476 5919", "P-SYN", "hid upstairs", "tearful", "999001", "Q99001", "QQ9", "pushed", "Test Officer",
                 })
        {
            Assert.DoesNotContain(forbidden, json, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_probation_SPOC_sees_the_supervised_adult_and_the_familys_children_but_not_the_victim_or_the_childs_voice()
    {
        var incident = Example();
        var delivery = Router.Route(incident, TestDirectory.Full().Snapshot()).Deliveries.Single(d => d.RecipientType == T.NpsSpoc);

        var content = Projection.Build(incident, delivery, Prior(incident, 0));
        var json = Json(content);

        var supervised = Assert.Single(content.Adults!);
        Assert.Equal("Casey", supervised.GivenName);
        Assert.Equal(ProbationProvider.Nps, supervised.Probation!.Provider);
        Assert.Equal(["Alex", "Sam"], content.Children!.Select(c => c.GivenName));
        Assert.Equal(incident.Summary, content.Summary);
        foreach (var forbidden in new[] { "Jordan", "1992-05-10", "hid upstairs", "tearful", "9434765919", "pregnant" })
            Assert.DoesNotContain(forbidden, json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Midwifery_sees_the_pregnant_victim_and_the_summary_but_not_the_perpetrator()
    {
        var incident = Example();
        var delivery = Router.Route(incident, TestDirectory.Full().Snapshot()).Deliveries.Single(d => d.RecipientType == T.MidwiferyTeam);

        var content = Projection.Build(incident, delivery, Prior(incident, 0));
        var json = Json(content);

        var victim = Assert.Single(content.Adults!);
        Assert.Equal("Jordan", victim.GivenName);
        Assert.True(victim.Pregnant);
        Assert.Null(victim.Probation);
        Assert.True(content.VictimPregnant);
        Assert.Equal(incident.Summary, content.Summary);
        Assert.DoesNotContain("Casey", json, StringComparison.Ordinal);
        Assert.DoesNotContain("NPS", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_health_visiting_team_sees_its_child_with_NHS_number_pregnancy_and_summary_but_no_adults()
    {
        var incident = Example();
        var delivery = Router.Route(incident, TestDirectory.Full().Snapshot()).Deliveries.Single(d => d.RecipientType == T.HealthVisitingTeam);

        var content = Projection.Build(incident, delivery, Prior(incident, 0));
        var json = Json(content);

        Assert.Equal("Sam", Assert.Single(content.Children!).GivenName);
        Assert.True(content.VictimPregnant);
        Assert.Equal(incident.Summary, content.Summary);
        Assert.Empty(content.Adults ?? []);
        Assert.DoesNotContain("Alex", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Jordan", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_listed_child_carries_its_own_cumulative_risk_count_and_the_delivery_the_highest()
    {
        var incident = Example();
        var delivery = DeliveryTo(T.Mash, incident);
        var content = Projection.Build(incident, delivery, [2, 5]);

        Assert.Equal([2, 5], content.Children!.Select(c => c.PriorIncidentsLast12Months!.Value));
        Assert.Equal(5, content.PriorIncidentsLast12Months);
    }
}
