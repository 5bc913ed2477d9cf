using System.Collections.Frozen;
using NotifyHub.Domain.Incidents;
using T = NotifyHub.Domain.Directory.OrganisationTypes;
using F = NotifyHub.Domain.Routing.ContentFields;

namespace NotifyHub.Domain.Routing;

/// <summary>The names of every field a delivery's content can carry; <see cref="Projection.Allowed"/> is written in them.</summary>
public static class ContentFields
{
    public const string ForceCode = "forceCode";
    public const string IncidentReference = "incidentReference";
    public const string OccurredAt = "occurredAt";
    public const string ReportedAt = "reportedAt";
    public const string AttendedAt = "attendedAt";
    public const string RiskLevel = "riskLevel";
    public const string LaCode = "laCode";
    public const string PostcodeDistrict = "postcodeDistrict";
    public const string Summary = "summary";
    public const string VictimPregnant = "victimPregnant";
    public const string PoliceContact = "policeContact";
    public const string PriorIncidents = "priorIncidentsLast12Months";
    public const string ChildCount = "childCount";
    public const string ChildrenPresentCount = "childrenPresentCount";
    public const string AdultCount = "adultCount";

    public const string ChildPriorIncidents = "child.priorIncidentsLast12Months";
    public const string ChildGivenName = "child.givenName";
    public const string ChildFamilyName = "child.familyName";
    public const string ChildDateOfBirth = "child.dateOfBirth";
    public const string ChildExpectedDueDate = "child.expectedDueDate";
    public const string ChildNhsNumber = "child.nhsNumber";
    public const string ChildPolicePersonReference = "child.policePersonReference";
    public const string ChildPresent = "child.present";
    public const string ChildWelfareCheckDone = "child.welfareCheckDone";
    public const string ChildWhatChildSaid = "child.whatChildSaid";
    public const string ChildDemeanour = "child.demeanour";
    public const string ChildSchoolUrn = "child.schoolUrn";
    public const string ChildElectivelyHomeEducated = "child.electivelyHomeEducated";
    public const string ChildEarlyYearsSettingUrn = "child.earlyYearsSettingUrn";
    public const string ChildGpPracticeOdsCode = "child.gpPracticeOdsCode";
    public const string ChildKnownToYos = "child.knownToYos";

    public const string AdultRole = "adult.role";
    public const string AdultGivenName = "adult.givenName";
    public const string AdultFamilyName = "adult.familyName";
    public const string AdultDateOfBirth = "adult.dateOfBirth";
    public const string AdultPolicePersonReference = "adult.policePersonReference";
    public const string AdultPregnant = "adult.pregnant";
    public const string AdultProbation = "adult.probation";
    public const string AdultKnownToYos = "adult.knownToYos";

    public static readonly IReadOnlyList<string> All =
    [
        ForceCode, IncidentReference, OccurredAt, ReportedAt, AttendedAt, RiskLevel, LaCode, PostcodeDistrict, Summary,
        VictimPregnant, PoliceContact, PriorIncidents, ChildCount, ChildrenPresentCount, AdultCount,
        ChildPriorIncidents, ChildGivenName, ChildFamilyName, ChildDateOfBirth, ChildExpectedDueDate, ChildNhsNumber, ChildPolicePersonReference,
        ChildPresent, ChildWelfareCheckDone, ChildWhatChildSaid, ChildDemeanour, ChildSchoolUrn, ChildElectivelyHomeEducated,
        ChildEarlyYearsSettingUrn, ChildGpPracticeOdsCode, ChildKnownToYos,
        AdultRole, AdultGivenName, AdultFamilyName, AdultDateOfBirth, AdultPolicePersonReference, AdultPregnant,
        AdultProbation, AdultKnownToYos,
    ];
}

/// <summary>
/// What each recipient type may see (domain.md, "What each recipient may see"): the table below is
/// the whole policy. Children and adults appear only if the delivery lists them (a school sees only
/// its own pupils), and then only with the fields the table allows.
/// </summary>
public static class Projection
{
    // Every recipient: which incident, when, and the cumulative-risk count.
    private static readonly string[] Core = [F.ForceCode, F.IncidentReference, F.OccurredAt, F.PriorIncidents];

    // Schools and early-years settings (Operation Encompass): the child, whether present, welfare check,
    // the child's voice and a police contact. Never the summary (it describes the adults), risk grade,
    // adults or probation.
    private static readonly string[] School =
    [
        .. Core, F.PoliceContact,
        F.ChildPriorIncidents, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth, F.ChildPresent, F.ChildWelfareCheckDone,
        F.ChildWhatChildSaid, F.ChildDemeanour,
    ];

    // Health: the children, pregnancy, summary. The NHS number and GP practice let them find their record.
    private static readonly string[] Health =
    [
        .. Core, F.RiskLevel, F.Summary, F.VictimPregnant, F.PoliceContact,
        F.ChildPriorIncidents, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth, F.ChildNhsNumber, F.ChildPresent, F.ChildWelfareCheckDone,
        F.ChildWhatChildSaid, F.ChildDemeanour, F.ChildGpPracticeOdsCode,
    ];

    // Midwifery also sees the unborn child's due date and the pregnant victim.
    private static readonly string[] Midwifery =
    [
        .. Health, F.ChildExpectedDueDate,
        F.AdultRole, F.AdultGivenName, F.AdultFamilyName, F.AdultDateOfBirth, F.AdultPregnant,
    ];

    // Probation and YOS: the supervised person, the children linked to them ("think family"), summary.
    // Not the child's voice or health identifiers.
    private static readonly string[] SupervisingCore =
    [
        .. Core, F.RiskLevel, F.Summary, F.PoliceContact,
        F.ChildPriorIncidents, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth, F.ChildExpectedDueDate, F.ChildPresent,
        F.AdultRole, F.AdultGivenName, F.AdultFamilyName, F.AdultDateOfBirth, F.AdultPolicePersonReference,
    ];

    // LA education safeguarding team: the children it must find a school for, and how to reach police.
    private static readonly string[] LaEducation =
    [
        .. Core, F.LaCode, F.PoliceContact,
        F.ChildPriorIncidents, F.ChildGivenName, F.ChildFamilyName, F.ChildDateOfBirth, F.ChildPresent, F.ChildWelfareCheckDone,
        F.ChildSchoolUrn, F.ChildElectivelyHomeEducated, F.ChildEarlyYearsSettingUrn,
    ];

    // Partnership leads: counts and non-identifying fields only — no child or adult appears at all,
    // nor the free-text summary (which may name people) nor the postcode district.
    private static readonly string[] PartnershipLead =
    [
        .. Core, F.ReportedAt, F.AttendedAt, F.RiskLevel, F.LaCode, F.ChildCount, F.ChildrenPresentCount, F.AdultCount,
    ];

    /// <summary>Recipient type → the fields it may see. MASH (the safeguarding front door) and the MARAC coordinator see the whole incident.</summary>
    public static readonly FrozenDictionary<string, FrozenSet<string>> Allowed = new Dictionary<string, string[]>
    {
        [T.School] = School,
        [T.EarlyYearsSetting] = School,
        [T.HealthVisitingTeam] = Health,
        [T.SchoolNursingTeam] = Health,
        [T.MidwiferyTeam] = Midwifery,
        [T.NpsSpoc] = [.. SupervisingCore, F.AdultProbation],
        [T.CrcSpoc] = [.. SupervisingCore, F.AdultProbation],
        [T.YosTeam] = [.. SupervisingCore, F.ChildKnownToYos, F.AdultKnownToYos],
        [T.Mash] = [.. ContentFields.All],
        [T.MaracCoordinator] = [.. ContentFields.All],
        [T.LaEducationSafeguardingTeam] = LaEducation,
        [T.PartnershipLead] = PartnershipLead,
    }.ToFrozenDictionary(e => e.Key, e => e.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <param name="priorByChild">
    /// The cumulative-risk count (<see cref="RiskHistory.CountPrior"/>) of each of the incident's
    /// children, by index. Each listed child carries its own; the delivery carries the highest.
    /// </param>
    public static DeliveryContent Build(Incident incident, PlannedDelivery delivery, IReadOnlyList<int> priorByChild) =>
        Project(incident, delivery.RecipientType, delivery.Rule, delivery.ChildIndexes, delivery.AdultIndexes, priorByChild);

    /// <summary>What an LA front door reviewing a held share sees: the whole incident, every child and adult, as its type may see them.</summary>
    public static DeliveryContent ForRelay(Incident incident, string relayType, IReadOnlyList<int> priorByChild) =>
        Project(incident, relayType, "front-door",
            [.. Enumerable.Range(0, incident.Children.Count)], [.. Enumerable.Range(0, incident.Adults.Count)], priorByChild);

    /// <summary>The partnership-lead view of an incident: counts and non-identifying fields.</summary>
    public static DeliveryContent ForPartnershipLead(Incident incident, IReadOnlyList<int> priorByChild) =>
        Project(incident, T.PartnershipLead, null,
            [.. Enumerable.Range(0, incident.Children.Count)], [.. Enumerable.Range(0, incident.Adults.Count)], priorByChild);

    private static DeliveryContent Project(Incident incident, string recipientType, string? rule,
        IReadOnlyList<int> children, IReadOnlyList<int> adults, IReadOnlyList<int> priorByChild)
    {
        if (priorByChild.Count != incident.Children.Count)
            throw new ArgumentException("Give one cumulative-risk count per child of the incident.", nameof(priorByChild));
        var prior = children.Select(i => priorByChild[i]).DefaultIfEmpty(0).Max();
        if (!Allowed.TryGetValue(recipientType, out var allowed))
            throw new ArgumentException($"No projection for recipient type '{recipientType}': nothing leaves the hub untabled.", nameof(recipientType));

        string? Text(string field, string? value) => allowed.Contains(field) ? value : null;
        TValue? Value<TValue>(string field, TValue value) where TValue : struct => allowed.Contains(field) ? value : null;
        TValue? Nullable<TValue>(string field, TValue? value) where TValue : struct => allowed.Contains(field) ? value : null;
        bool AnyOf(string prefix) => allowed.Any(f => f.StartsWith(prefix, StringComparison.Ordinal));

        ChildContent ChildOf(Child c, int prior) => new ChildContent
        {
            PriorIncidentsLast12Months = Value(F.ChildPriorIncidents, prior),
            GivenName = Text(F.ChildGivenName, c.GivenName),
            FamilyName = Text(F.ChildFamilyName, c.FamilyName),
            DateOfBirth = Nullable(F.ChildDateOfBirth, c.DateOfBirth),
            ExpectedDueDate = Nullable(F.ChildExpectedDueDate, c.ExpectedDueDate),
            NhsNumber = Text(F.ChildNhsNumber, c.NhsNumber),
            PolicePersonReference = Text(F.ChildPolicePersonReference, c.PolicePersonReference),
            Present = Value(F.ChildPresent, c.Present),
            WelfareCheckDone = Value(F.ChildWelfareCheckDone, c.WelfareCheckDone),
            WhatChildSaid = Text(F.ChildWhatChildSaid, c.WhatChildSaid),
            Demeanour = Text(F.ChildDemeanour, c.Demeanour),
            SchoolUrn = Text(F.ChildSchoolUrn, c.SchoolUrn),
            ElectivelyHomeEducated = Value(F.ChildElectivelyHomeEducated, c.ElectivelyHomeEducated),
            EarlyYearsSettingUrn = Text(F.ChildEarlyYearsSettingUrn, c.EarlyYearsSettingUrn),
            GpPracticeOdsCode = Text(F.ChildGpPracticeOdsCode, c.GpPracticeOdsCode),
            KnownToYos = Value(F.ChildKnownToYos, c.KnownToYos),
        };
        var childList = AnyOf("child.")
            ? children.Select(i => ChildOf(incident.Children[i], priorByChild[i])).ToList()
            : null;
        var adultList = AnyOf("adult.")
            ? adults.Select(i => incident.Adults[i]).Select(a => new AdultContent
            {
                Role = Value(F.AdultRole, a.Role),
                GivenName = Text(F.AdultGivenName, a.GivenName),
                FamilyName = Text(F.AdultFamilyName, a.FamilyName),
                DateOfBirth = Nullable(F.AdultDateOfBirth, a.DateOfBirth),
                PolicePersonReference = Text(F.AdultPolicePersonReference, a.PolicePersonReference),
                Pregnant = Value(F.AdultPregnant, a.Pregnant),
                Probation = allowed.Contains(F.AdultProbation) ? a.Probation : null,
                KnownToYos = Value(F.AdultKnownToYos, a.KnownToYos),
            }).ToList()
            : null;

        return new DeliveryContent
        {
            RecipientType = recipientType,
            Rule = rule,
            ForceCode = Text(F.ForceCode, incident.ForceCode),
            IncidentReference = Text(F.IncidentReference, incident.IncidentReference),
            OccurredAt = Value(F.OccurredAt, incident.OccurredAt),
            ReportedAt = Value(F.ReportedAt, incident.ReportedAt),
            AttendedAt = Nullable(F.AttendedAt, incident.AttendedAt),
            RiskLevel = Value(F.RiskLevel, incident.RiskLevel),
            LaCode = Text(F.LaCode, incident.Location.LaCode),
            PostcodeDistrict = Text(F.PostcodeDistrict, incident.Location.PostcodeDistrict),
            Summary = Text(F.Summary, incident.Summary),
            VictimPregnant = Value(F.VictimPregnant, incident.Adults.Any(a => a is { Role: AdultRole.Victim, Pregnant: true })),
            PoliceContact = allowed.Contains(F.PoliceContact) ? incident.Officer : null,
            PriorIncidentsLast12Months = Value(F.PriorIncidents, prior),
            ChildCount = Value(F.ChildCount, children.Count),
            ChildrenPresentCount = Value(F.ChildrenPresentCount, children.Count(i => incident.Children[i].Present)),
            AdultCount = Value(F.AdultCount, adults.Count),
            Children = childList,
            Adults = adultList,
        };
    }
}
