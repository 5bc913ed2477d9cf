using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Incidents;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Domain.Routing;

/// <summary>
/// Decides who is told about an incident and why (domain.md, "Who gets what"): a pure function of
/// the validated incident and the part of the directory <see cref="RoutingLookups.KeysFor"/> named.
/// </summary>
/// <remarks>
/// Children are classified by their age on the incident date (<see cref="ChildAge"/>):
/// <list type="bullet">
/// <item>unborn (expected due date, no date of birth): midwifery only;</item>
/// <item>"in school": a school URN and aged 4 or over → the school (operation-encompass) and school nursing;</item>
/// <item>under 4 with a school URN (a school nursery class) → the school (nursery-class) and health visiting;</item>
/// <item>no URN and aged 5 or over, or electively home educated and aged 4 or over → the LA education
/// safeguarding team and an unrouted school share;</item>
/// <item>under 5 and not in school → health visiting; everyone else born → school nursing;</item>
/// <item>a named early-years setting → that setting, whatever the child's age.</item>
/// </list>
/// Health teams are found by the child's GP practice first, then the incident's postcode district.
/// The midwifery team by an unborn child's GP practice, then postcode district, then LA. Per-LA
/// recipients (SPOCs, YOS, MASH, MARAC, LA education) by the incident's LA. Where several active
/// organisations share a key, the first by id is chosen, so that a share goes to one place.
/// An organisation chosen by several rules gets one delivery listing everything every rule gave it.
/// </remarks>
public static class Router
{
    public static RoutingDecision Route(Incident incident, DirectorySnapshot directory) => Decide(incident, directory.Find);

    /// <summary>
    /// The decision over any lookup. <see cref="RoutingLookups.KeysFor"/> runs this with a lookup that
    /// finds nothing and records what was asked: every fallback is then taken, so the keys it records
    /// are exactly those any directory could make the decision need.
    /// </summary>
    internal static RoutingDecision Decide(Incident incident, Func<DirectoryKey, IReadOnlyList<Organisation>> find)
    {
        var plan = new Plan(find);
        var la = incident.Location.LaCode;
        var district = incident.Location.PostcodeDistrict;
        var today = ChildAge.IncidentDate(incident.OccurredAt);
        var allChildren = Enumerable.Range(0, incident.Children.Count).ToList();
        var allAdults = Enumerable.Range(0, incident.Adults.Count).ToList();

        for (var i = 0; i < incident.Children.Count; i++)
        {
            var child = incident.Children[i];
            if (child.IsUnborn) continue; // midwifery, below
            var dateOfBirth = child.DateOfBirth
                ?? throw new ArgumentException($"Child {i} has neither a date of birth nor an expected due date.", nameof(incident));
            var age = ChildAge.YearsOn(dateOfBirth, today);
            var inSchool = child.SchoolUrn is not null && age >= ChildAge.SchoolFrom;

            if (child.SchoolUrn is { } urn)
            {
                var rule = inSchool ? RoutingRules.OperationEncompass : RoutingRules.NurseryClass;
                if (plan.Resolve(new DirectoryKey(T.School, DirectoryKey.Urn, urn)) is { } school)
                {
                    plan.Deliver(school, T.School, rule, [i], []);
                }
                else
                {
                    plan.Unrouted(rule, T.School, i, null, UnroutedReasons.UrnNotInDirectory);
                    if (inSchool) LaEducation(plan, la, RoutingRules.SchoolNotInDirectory, i);
                }
            }
            else if (child.ElectivelyHomeEducated && age >= ChildAge.SchoolFrom)
            {
                plan.Unrouted(RoutingRules.OperationEncompass, T.School, i, null, UnroutedReasons.ElectiveHomeEducation);
                LaEducation(plan, la, RoutingRules.SchoolAgeNoSchool, i);
            }
            else if (age >= ChildAge.ExpectedInSchoolFrom)
            {
                plan.Unrouted(RoutingRules.OperationEncompass, T.School, i, null, UnroutedReasons.NoUrn);
                LaEducation(plan, la, RoutingRules.SchoolAgeNoSchool, i);
            }

            var (healthRule, healthType) = age < ChildAge.HealthVisitingUnder && !inSchool
                ? (RoutingRules.HealthVisiting, T.HealthVisitingTeam)
                : (RoutingRules.SchoolNursing, T.SchoolNursingTeam);
            var healthKeys = new List<DirectoryKey>();
            if (child.GpPracticeOdsCode is { } gp) healthKeys.Add(new(healthType, DirectoryKey.Gp, gp));
            healthKeys.Add(new(healthType, DirectoryKey.PostcodeDistrict, district));
            if (plan.Resolve([.. healthKeys]) is { } team) plan.Deliver(team, healthType, healthRule, [i], []);
            else plan.Unrouted(healthRule, healthType, i, null, UnroutedReasons.NoHealthTeamForGpOrPostcode);

            if (child.EarlyYearsSettingUrn is { } setting)
            {
                if (plan.Resolve(new DirectoryKey(T.EarlyYearsSetting, DirectoryKey.Urn, setting)) is { } found)
                    plan.Deliver(found, T.EarlyYearsSetting, RoutingRules.EarlyYearsSetting, [i], []);
                else
                    plan.Unrouted(RoutingRules.EarlyYearsSetting, T.EarlyYearsSetting, i, null, UnroutedReasons.UrnNotInDirectory);
            }
        }

        Midwifery(plan, incident);

        foreach (var (provider, rule, type) in new[]
                 {
                     (ProbationProvider.Nps, RoutingRules.ProbationNps, T.NpsSpoc),
                     (ProbationProvider.Crc, RoutingRules.ProbationCrc, T.CrcSpoc),
                 })
        {
            var supervised = allAdults.Where(a => incident.Adults[a].Probation?.Provider == provider).ToList();
            if (supervised.Count == 0) continue;
            // "Think family": the SPOC hears about every child in the household, not only the supervised adult.
            PerLa(plan, type, la, rule, allChildren, supervised, UnroutedReasons.NoSpocForLa,
                unroutedChildren: [], unroutedAdults: supervised);
        }

        var youngChildren = allChildren.Where(c => incident.Children[c] is { KnownToYos: true, IsUnborn: false }).ToList();
        var youngAdults = allAdults.Where(a => incident.Adults[a].KnownToYos).ToList();
        if (youngChildren.Count + youngAdults.Count > 0)
        {
            PerLa(plan, T.YosTeam, la, RoutingRules.Yos, allChildren, youngAdults, UnroutedReasons.NoYosForLa,
                unroutedChildren: youngChildren, unroutedAdults: youngAdults);
        }

        if (incident.RiskLevel is RiskLevel.Medium or RiskLevel.High)
        {
            PerLa(plan, T.Mash, la, RoutingRules.Mash, allChildren, allAdults, UnroutedReasons.NoMashForLa, [], []);
        }
        if (incident.RiskLevel is RiskLevel.High)
        {
            PerLa(plan, T.MaracCoordinator, la, RoutingRules.Marac, allChildren, allAdults, UnroutedReasons.NoMaracForLa, [], []);
        }

        return plan.ToDecision();
    }

    private static void LaEducation(Plan plan, string la, string rule, int child)
    {
        if (plan.Resolve(new DirectoryKey(T.LaEducationSafeguardingTeam, DirectoryKey.La, la)) is { } team)
            plan.Deliver(team, T.LaEducationSafeguardingTeam, rule, [child], []);
        else
            plan.Unrouted(rule, T.LaEducationSafeguardingTeam, child, null, UnroutedReasons.NoLaEducationTeam);
    }

    /// <summary>
    /// One midwifery delivery per incident, listing every unborn child and every pregnant victim: they
    /// are usually the same pregnancy, and two teams for one pregnancy would split the picture.
    /// </summary>
    private static void Midwifery(Plan plan, Incident incident)
    {
        var unborn = Enumerable.Range(0, incident.Children.Count).Where(c => incident.Children[c].IsUnborn).ToList();
        var pregnant = Enumerable.Range(0, incident.Adults.Count)
            .Where(a => incident.Adults[a] is { Role: AdultRole.Victim, Pregnant: true }).ToList();
        if (unborn.Count + pregnant.Count == 0) return;

        var keys = unborn.Select(c => incident.Children[c].GpPracticeOdsCode).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(gp => new DirectoryKey(T.MidwiferyTeam, DirectoryKey.Gp, gp))
            .Append(new DirectoryKey(T.MidwiferyTeam, DirectoryKey.PostcodeDistrict, incident.Location.PostcodeDistrict))
            .Append(new DirectoryKey(T.MidwiferyTeam, DirectoryKey.La, incident.Location.LaCode))
            .ToArray();
        if (plan.Resolve(keys) is { } team)
        {
            plan.Deliver(team, T.MidwiferyTeam, RoutingRules.Midwifery, unborn, pregnant);
            return;
        }
        foreach (var c in unborn) plan.Unrouted(RoutingRules.Midwifery, T.MidwiferyTeam, c, null, UnroutedReasons.NoMidwiferyTeam);
        foreach (var a in pregnant) plan.Unrouted(RoutingRules.Midwifery, T.MidwiferyTeam, null, a, UnroutedReasons.NoMidwiferyTeam);
    }

    /// <summary>
    /// A recipient found by the incident's LA. When none is found, one unrouted share per person the
    /// rule was about, or one for the whole incident (MASH, MARAC).
    /// </summary>
    private static void PerLa(Plan plan, string type, string la, string rule, IReadOnlyList<int> children, IReadOnlyList<int> adults,
        string reason, IReadOnlyList<int> unroutedChildren, IReadOnlyList<int> unroutedAdults)
    {
        if (plan.Resolve(new DirectoryKey(type, DirectoryKey.La, la)) is { } recipient)
        {
            plan.Deliver(recipient, type, rule, children, adults);
            return;
        }
        if (unroutedChildren.Count + unroutedAdults.Count == 0)
        {
            plan.Unrouted(rule, type, null, null, reason);
            return;
        }
        foreach (var c in unroutedChildren) plan.Unrouted(rule, type, c, null, reason);
        foreach (var a in unroutedAdults) plan.Unrouted(rule, type, null, a, reason);
    }

    /// <summary>The decision being built: deliveries merged per organisation, and the unrouted shares.</summary>
    private sealed class Plan(Func<DirectoryKey, IReadOnlyList<Organisation>> find)
    {
        private readonly Dictionary<string, Recipient> recipients = new(StringComparer.Ordinal);
        private readonly List<UnroutedShare> unrouted = [];

        /// <summary>The first active organisation under the first key that has one; later keys are fallbacks.</summary>
        public Organisation? Resolve(params DirectoryKey[] keys)
        {
            foreach (var key in keys)
            {
                var found = find(key);
                if (found.Count > 0) return found[0];
            }
            return null;
        }

        public void Deliver(Organisation organisation, string type, string rule, IEnumerable<int> children, IEnumerable<int> adults)
        {
            if (!recipients.TryGetValue(organisation.Id, out var recipient))
                recipients[organisation.Id] = recipient = new Recipient(organisation);
            recipient.Rules.TryAdd(RoutingRules.Order(rule), type);
            recipient.Children.UnionWith(children);
            recipient.Adults.UnionWith(adults);
        }

        public void Unrouted(string rule, string type, int? child, int? adult, string reason) =>
            unrouted.Add(new UnroutedShare(rule, type, child, adult, reason));

        public RoutingDecision ToDecision()
        {
            var deliveries = recipients.Values
                .OrderBy(r => r.Rules.Keys.Min())
                .ThenBy(r => r.Organisation.Id, StringComparer.Ordinal)
                .Select(r => new PlannedDelivery(
                    r.Organisation,
                    r.Rules.First().Value,
                    string.Join(RoutingRules.Separator, r.Rules.Keys.Select(k => RoutingRules.InOrder[k])),
                    [.. r.Children],
                    [.. r.Adults]))
                .ToList();
            var shares = unrouted
                .OrderBy(u => RoutingRules.Order(u.Rule))
                .ThenBy(u => u.ChildIndex ?? int.MaxValue)
                .ThenBy(u => u.AdultIndex ?? int.MaxValue)
                .ThenBy(u => u.Reason, StringComparer.Ordinal)
                .ToList();
            return new RoutingDecision(deliveries, shares);
        }

        private sealed class Recipient(Organisation organisation)
        {
            public Organisation Organisation { get; } = organisation;
            /// <summary>Rule order → the recipient type that rule looked for.</summary>
            public SortedDictionary<int, string> Rules { get; } = [];
            public SortedSet<int> Children { get; } = [];
            public SortedSet<int> Adults { get; } = [];
        }
    }
}
