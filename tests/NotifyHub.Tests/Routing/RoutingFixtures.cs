using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Incidents;
using NotifyHub.Tests.Infrastructure;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Tests.Routing;

/// <summary>Synthetic incidents and directories for the routing tests.</summary>
internal static class RoutingFixtures
{
    /// <summary>The same cumulative-risk count for every child of the incident.</summary>
    public static int[] Prior(Incident incident, int count) => Enumerable.Repeat(count, incident.Children.Count).ToArray();

    /// <summary>The example's incident date (Europe/London): 2026-11-24, 21:40 GMT.</summary>
    public static readonly DateOnly IncidentDate = new(2026, 11, 24);

    public const string La = "999";
    public const string District = "QQ9";
    public const string Gp = "Q99001";
    public const string Urn = "999001";

    /// <summary>docs/examples/incident.json, validated: Alex (10, school 999001), Sam (3, no school), a pregnant victim, an NPS-supervised perpetrator, medium risk.</summary>
    public static Incident Example() => Validated(ExampleIncident.Load());

    public static Incident Validated(JsonObject json)
    {
        using var document = JsonDocument.Parse(json.ToJsonString());
        var result = IncidentValidator.Validate(document.RootElement, ExampleIncident.Now, new IncidentRules());
        Assert.True(result.IsValid, string.Join("; ", result.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return result.Value!;
    }

    /// <summary>A school-less, GP-less child of the example family born <paramref name="years"/> years (and <paramref name="days"/> days) before the incident date.</summary>
    public static Child ChildAged(int years, int days = 0, string reference = "P-SYN-0100") =>
        Example().Children[0] with
        {
            PolicePersonReference = reference,
            NhsNumber = null,
            GivenName = "Robin",
            DateOfBirth = IncidentDate.AddYears(-years).AddDays(-days),
            SchoolUrn = null,
            GpPracticeOdsCode = null,
        };

    public static Child Unborn(string reference = "P-SYN-0200") =>
        Example().Children[0] with
        {
            PolicePersonReference = reference, NhsNumber = null, GivenName = null, FamilyName = null,
            DateOfBirth = null, ExpectedDueDate = IncidentDate.AddDays(60), SchoolUrn = null, GpPracticeOdsCode = null,
            WhatChildSaid = null, Demeanour = null, Present = false, WelfareCheckDone = false,
        };

    public static Adult AdultOf(AdultRole role, string given = "Drew", bool pregnant = false, ProbationProvider? probation = null, bool yos = false) =>
        new(role, "P-SYN-0300", given, "Example", new DateOnly(1991, 6, 1), pregnant,
            probation is { } p ? new ProbationSupervision(p, "North East", "Synthetic Office") : null, yos);

    public static Incident With(this Incident incident, params Child[] children) => incident with { Children = children };

    public static Incident WithAdults(this Incident incident, params Adult[] adults) => incident with { Adults = adults };

    public static Organisation Organisation(string id, string type, bool active = true) => new(id, type, $"Synthetic {id}", active);
}

/// <summary>Builds a <see cref="DirectorySnapshot"/>: each organisation under the keys routing finds it by.</summary>
internal sealed class TestDirectory
{
    private readonly Dictionary<DirectoryKey, List<Organisation>> entries = [];

    public TestDirectory Add(Organisation organisation, string kind, string value) =>
        Add(organisation, new DirectoryKey(organisation.Type, kind, value));

    public TestDirectory Add(Organisation organisation, params DirectoryKey[] keys)
    {
        foreach (var key in keys)
        {
            if (!entries.TryGetValue(key, out var list)) entries[key] = list = [];
            list.Add(organisation);
        }
        return this;
    }

    public TestDirectory Remove(string type, string kind, string value)
    {
        entries.Remove(new DirectoryKey(type, kind, value));
        return this;
    }

    public DirectorySnapshot Snapshot() =>
        new(entries.ToDictionary(e => e.Key, e => (IReadOnlyList<Organisation>)[.. e.Value]));

    /// <summary>Every recipient the example incident can need, for LA 999 / QQ9 / GP Q99001 / school 999001.</summary>
    public static TestDirectory Full() => new TestDirectory()
        .Add(RoutingFixtures.Organisation("school-999001", T.School), DirectoryKey.Urn, RoutingFixtures.Urn)
        .Add(RoutingFixtures.Organisation("hv-gp-q99001", T.HealthVisitingTeam), DirectoryKey.Gp, RoutingFixtures.Gp)
        .Add(RoutingFixtures.Organisation("hv-qq9", T.HealthVisitingTeam), DirectoryKey.PostcodeDistrict, RoutingFixtures.District)
        .Add(RoutingFixtures.Organisation("sn-gp-q99001", T.SchoolNursingTeam), DirectoryKey.Gp, RoutingFixtures.Gp)
        .Add(RoutingFixtures.Organisation("sn-qq9", T.SchoolNursingTeam), DirectoryKey.PostcodeDistrict, RoutingFixtures.District)
        .Add(RoutingFixtures.Organisation("mw-999", T.MidwiferyTeam), DirectoryKey.La, RoutingFixtures.La)
        .Add(RoutingFixtures.Organisation("nps-999", T.NpsSpoc), DirectoryKey.La, RoutingFixtures.La)
        .Add(RoutingFixtures.Organisation("crc-999", T.CrcSpoc), DirectoryKey.La, RoutingFixtures.La)
        .Add(RoutingFixtures.Organisation("yos-999", T.YosTeam), DirectoryKey.La, RoutingFixtures.La)
        .Add(RoutingFixtures.Organisation("mash-999", T.Mash), DirectoryKey.La, RoutingFixtures.La)
        .Add(RoutingFixtures.Organisation("marac-999", T.MaracCoordinator), DirectoryKey.La, RoutingFixtures.La)
        .Add(RoutingFixtures.Organisation("laed-999", T.LaEducationSafeguardingTeam), DirectoryKey.La, RoutingFixtures.La);
}
