using System.Text;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Incidents;
using static NotifyHub.Tests.Routing.RoutingFixtures;
using NotifyHub.Domain.Routing;
using R = NotifyHub.Domain.Routing.RoutingRules;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Tests.Routing;

/// <summary>
/// Routing over many random (valid, synthetic) incidents against random directories where some
/// recipients exist, some are missing and some are inactive. Fixed seeds: a failure names the seed
/// and case, and reruns identically.
/// </summary>
public class RoutingPropertyTests
{
    private const int Cases = 2000;

    private static readonly string[] Las = ["840", "841"];
    private static readonly string[] Districts = ["DH1", "DH2"];
    private static readonly string[] Urns = ["100001", "100002", "100003"];
    private static readonly string[] EarlyYears = ["EY000001", "EY000002"];
    private static readonly string[] Gps = ["A00001", "A00002", "A00003"];

    private static readonly HashSet<string> ChildFacingRules =
    [
        R.OperationEncompass, R.NurseryClass, R.SchoolAgeNoSchool, R.SchoolNotInDirectory,
        R.HealthVisiting, R.EarlyYearsSetting, R.SchoolNursing, R.Midwifery,
    ];

    [Theory]
    [InlineData(20261124)]
    [InlineData(840)]
    public void Every_child_is_either_routed_to_a_child_facing_recipient_or_recorded_as_unrouted(int seed)
    {
        ForEachCase(seed, (incident, decision, _) =>
        {
            for (var c = 0; c < incident.Children.Count; c++)
            {
                var covered = decision.Deliveries.Any(d => d.ChildIndexes.Contains(c) && d.Rules.Any(ChildFacingRules.Contains));
                var unrouted = decision.Unrouted.Any(u => u.ChildIndex == c);
                if (!covered && !unrouted) return $"child {c} was silently dropped";
            }
            return null;
        });
    }

    [Theory]
    [InlineData(20261124)]
    [InlineData(840)]
    public void Every_born_child_has_a_health_team_or_an_unrouted_health_share_and_every_unborn_child_a_midwifery_one(int seed)
    {
        ForEachCase(seed, (incident, decision, _) =>
        {
            for (var c = 0; c < incident.Children.Count; c++)
            {
                string[] rules = incident.Children[c].IsUnborn ? [R.Midwifery] : [R.HealthVisiting, R.SchoolNursing];
                var count = decision.Deliveries.Count(d => d.ChildIndexes.Contains(c) && d.Rules.Any(rules.Contains))
                    + decision.Unrouted.Count(u => u.ChildIndex == c && rules.Contains(u.Rule));
                if (count != 1) return $"child {c} has {count} of {string.Join("/", rules)}";
                if (incident.Children[c].IsUnborn
                    && decision.Deliveries.Any(d => d.ChildIndexes.Contains(c) && d.Rules.Any(r => ChildFacingRules.Contains(r) && r != R.Midwifery)))
                    return $"unborn child {c} was sent to a school, setting or 0–19 team";
            }
            return null;
        });
    }

    [Theory]
    [InlineData(20261124)]
    [InlineData(840)]
    public void Every_pregnant_victim_supervised_adult_and_young_person_known_to_YOS_is_routed_or_unrouted(int seed)
    {
        ForEachCase(seed, (incident, decision, _) =>
        {
            bool Accounted(int a, string rule) =>
                decision.Deliveries.Any(d => d.AdultIndexes.Contains(a) && d.Rules.Contains(rule))
                || decision.Unrouted.Any(u => u.AdultIndex == a && u.Rule == rule);
            for (var a = 0; a < incident.Adults.Count; a++)
            {
                var adult = incident.Adults[a];
                if (adult is { Role: AdultRole.Victim, Pregnant: true } && !Accounted(a, R.Midwifery)) return $"pregnant victim {a} dropped";
                if (adult.Probation?.Provider == ProbationProvider.Nps && !Accounted(a, R.ProbationNps)) return $"NPS adult {a} dropped";
                if (adult.Probation?.Provider == ProbationProvider.Crc && !Accounted(a, R.ProbationCrc)) return $"CRC adult {a} dropped";
                if (adult.KnownToYos && !Accounted(a, R.Yos)) return $"YOS adult {a} dropped";
            }
            return null;
        });
    }

    [Theory]
    [InlineData(20261124)]
    [InlineData(840)]
    public void The_MASH_is_accounted_for_exactly_when_risk_is_medium_or_high_and_the_MARAC_coordinator_exactly_when_high(int seed)
    {
        ForEachCase(seed, (incident, decision, _) =>
        {
            bool Accounted(string rule) => decision.Deliveries.Any(d => d.Rules.Contains(rule)) || decision.Unrouted.Any(u => u.Rule == rule);
            if (Accounted(R.Mash) != incident.RiskLevel is RiskLevel.Medium or RiskLevel.High) return "MASH wrong for " + incident.RiskLevel;
            if (Accounted(R.Marac) != incident.RiskLevel is RiskLevel.High) return "MARAC wrong for " + incident.RiskLevel;
            return null;
        });
    }

    [Theory]
    [InlineData(20261124)]
    [InlineData(840)]
    public void No_recipient_appears_twice_and_the_decision_is_the_same_every_time(int seed)
    {
        ForEachCase(seed, (incident, decision, directory) =>
        {
            var ids = decision.Deliveries.Select(d => d.Recipient.Id).ToList();
            if (ids.Count != ids.Distinct().Count()) return "a recipient appears twice: " + string.Join(",", ids);
            if (decision.Deliveries.Any(d => !d.Recipient.Active)) return "an inactive organisation was chosen";
            if (Describe(decision) != Describe(Router.Route(incident, directory))) return "routing is not deterministic";
            return null;
        });
    }

    [Theory]
    [InlineData(20261124)]
    [InlineData(840)]
    public void Routing_only_ever_looks_up_keys_that_KeysFor_named(int seed)
    {
        ForEachCase(seed, (incident, _, directory) =>
        {
            var named = RoutingLookups.KeysFor(incident).ToHashSet();
            var asked = new List<DirectoryKey>();
            Router.Decide(incident, key => { asked.Add(key); return directory.Find(key); });
            var missing = asked.Where(k => !named.Contains(k)).ToList();
            return missing.Count == 0 ? null : "asked for unnamed keys: " + string.Join(", ", missing);
        });
    }

    [Theory]
    [InlineData(20261124)]
    [InlineData(840)]
    public void No_delivery_content_names_a_child_it_does_not_list_and_schools_health_and_LA_education_never_name_an_adult(int seed)
    {
        string[] noAdults = [T.School, T.EarlyYearsSetting, T.HealthVisitingTeam, T.SchoolNursingTeam, T.LaEducationSafeguardingTeam];
        ForEachCase(seed, (incident, decision, _) =>
        {
            foreach (var delivery in decision.Deliveries)
            {
                var json = Encoding.UTF8.GetString(Projection.Build(incident, delivery, Prior(incident, 2)).ToJson());
                for (var c = 0; c < incident.Children.Count; c++)
                {
                    if (!delivery.ChildIndexes.Contains(c) && incident.Children[c].GivenName is { } name && json.Contains(name, StringComparison.Ordinal))
                        return $"{delivery.Recipient.Id} names child {c}, not listed";
                }
                if (noAdults.Contains(delivery.RecipientType) && incident.Adults.Any(a => json.Contains(a.GivenName, StringComparison.Ordinal)))
                    return $"{delivery.Recipient.Id} ({delivery.RecipientType}) names an adult";
            }
            return null;
        });
    }

    private static void ForEachCase(int seed, Func<Incident, RoutingDecision, DirectorySnapshot, string?> check)
    {
        var rng = new Random(seed);
        for (var n = 0; n < Cases; n++)
        {
            var incident = RandomIncident(rng, n);
            var directory = RandomDirectory(rng);
            var decision = Router.Route(incident, directory);
            if (check(incident, decision, directory) is { } failure)
                Assert.Fail($"seed {seed}, case {n}: {failure}\n{Describe(decision)}");
        }
    }

    private static string Describe(RoutingDecision decision) => string.Join("\n",
        decision.Deliveries.Select(d => $"{d.Recipient.Id} {d.RecipientType} {d.Rule} c[{string.Join(",", d.ChildIndexes)}] a[{string.Join(",", d.AdultIndexes)}]")
            .Concat(decision.Unrouted.Select(u => $"unrouted {u.Rule} {u.RecipientType} c{u.ChildIndex} a{u.AdultIndex} {u.Reason}")));

    private static T1 Pick<T1>(Random rng, IReadOnlyList<T1> items) => items[rng.Next(items.Count)];

    /// <summary>A random incident within the validator's rules: children under 19, unborn children due within 42 weeks and with no school or setting, a URN excluding home education.</summary>
    private static Incident RandomIncident(Random rng, int n)
    {
        var occurredAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(rng.Next(0, 365 * 24 * 60));
        var today = ChildAge.IncidentDate(occurredAt);
        var oldest = today.DayNumber - today.AddYears(-19).DayNumber - 1;

        var children = new List<Child>();
        for (var c = rng.Next(1, 6); c > 0; c--)
        {
            var reference = $"P-SYN-{n}-{c}";
            var gp = rng.NextDouble() < 0.6 ? Pick(rng, Gps) : null;
            if (rng.NextDouble() < 0.1)
            {
                children.Add(new Child(reference, null, null, null, null, today.AddDays(rng.Next(-28, 294)),
                    false, false, null, false, null, gp, false, null, null));
                continue;
            }
            // Bias towards the 3–6 boundary years where the rules change.
            var days = rng.NextDouble() < 0.4 ? rng.Next(3 * 365, 6 * 365) : rng.Next(0, oldest);
            var urn = rng.NextDouble() < 0.5 ? Pick(rng, Urns) : null;
            children.Add(new Child(reference, null, $"Kid{children.Count}x", "Synthetic", today.AddDays(-days),
                null, rng.NextDouble() < 0.5, rng.NextDouble() < 0.5, urn, urn is null && rng.NextDouble() < 0.15,
                rng.NextDouble() < 0.2 ? Pick(rng, EarlyYears) : null, gp, rng.NextDouble() < 0.1, null, null));
        }

        var adults = new List<Adult>();
        for (var a = rng.Next(0, 4); a > 0; a--)
        {
            var role = (AdultRole)rng.Next(3);
            var probation = rng.NextDouble() < 0.3
                ? new ProbationSupervision(rng.NextDouble() < 0.5 ? ProbationProvider.Nps : ProbationProvider.Crc, "North East", null)
                : null;
            adults.Add(new Adult(role, null, $"Grown{adults.Count}x", "Synthetic", null, rng.NextDouble() < 0.3, probation,
                rng.NextDouble() < 0.1));
        }

        return new Incident("SYN", $"SYN-{n}", occurredAt, occurredAt.AddMinutes(5), null, (RiskLevel)rng.Next(3),
            new IncidentLocation(Pick(rng, Las), Pick(rng, Districts)), "Synthetic.",
            new OfficerContact("PC Synthetic", null, "01234 567890", null), children, adults);
    }

    /// <summary>Each possible key: present (45%), inactive (10%), a shared 0–19 team for both health rules (10%, health keys), or missing.</summary>
    private static DirectorySnapshot RandomDirectory(Random rng)
    {
        var keys = new List<DirectoryKey>();
        keys.AddRange(Urns.Select(u => new DirectoryKey(T.School, DirectoryKey.Urn, u)));
        keys.AddRange(EarlyYears.Select(u => new DirectoryKey(T.EarlyYearsSetting, DirectoryKey.Urn, u)));
        foreach (var type in new[] { T.HealthVisitingTeam, T.SchoolNursingTeam, T.MidwiferyTeam })
        {
            keys.AddRange(Gps.Select(g => new DirectoryKey(type, DirectoryKey.Gp, g)));
            keys.AddRange(Districts.Select(d => new DirectoryKey(type, DirectoryKey.PostcodeDistrict, d)));
        }
        foreach (var type in new[] { T.MidwiferyTeam, T.NpsSpoc, T.CrcSpoc, T.YosTeam, T.Mash, T.MaracCoordinator, T.LaEducationSafeguardingTeam })
            keys.AddRange(Las.Select(la => new DirectoryKey(type, DirectoryKey.La, la)));

        var entries = new Dictionary<DirectoryKey, IReadOnlyList<Organisation>>();
        foreach (var key in keys)
        {
            var roll = rng.NextDouble();
            var id = $"{key.Type}-{key.Kind}-{key.Value}";
            if (roll < 0.45) entries[key] = [new Organisation(id, key.Type, "Synthetic", true)];
            else if (roll < 0.55) entries[key] = [new Organisation(id, key.Type, "Synthetic", false)];
            else if (roll < 0.65 && key.Type is T.HealthVisitingTeam or T.SchoolNursingTeam)
                entries[key] = [new Organisation($"zero-19-{key.Kind}-{key.Value}", T.HealthVisitingTeam, "Synthetic", true)];
        }
        return new DirectorySnapshot(entries);
    }
}
