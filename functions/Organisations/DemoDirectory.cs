using NotifyHub.Domain.Directory;

namespace NotifyHub.Organisations;

public sealed record DemoSeedReport(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, IReadOnlyList<string> Unchanged);

/// <summary>
/// A small synthetic directory for demos and end-to-end tests: LA 840 (County Durham's DfE code) with three
/// schools (URN 100001 is the example incident's), an early-years setting, one team of every other recipient
/// type covering GP practice A99001 and postcode district DH1, and Durham police (force DUR). All names,
/// addresses and contacts are invented; mail goes to <c>example.invalid</c>.
/// </summary>
public static class DemoDirectory
{
    public const string La = "840";
    public const string GpPractice = "A99001";
    public const string PostcodeDistrict = "DH1";

    private static readonly TimeOnly SchoolDay = new(8, 30);

    public static IReadOnlyList<Organisation> Organisations { get; } =
    [
        School("100001", "Synthetic Demo Primary School", "Primary", 4, 11, "DH1 9ZZ"),
        School("100002", "Synthetic Demo Secondary School", "Secondary", 11, 18, "DH1 8ZZ"),
        School("100003", "Synthetic Demo Special School", "Not applicable", 3, 19, "DH1 7ZZ"),
        new("early-years-ey900001", OrganisationTypes.EarlyYearsSetting, "Synthetic Demo Nursery", true, Urn: "EY900001", LaCode: La,
            Postcode: "DH1 6ZZ", Contacts: [Contact("Nursery Manager")], Channel: Inbox(), SchoolDayStart: new TimeOnly(8, 0)),
        new("durham-police", OrganisationTypes.PoliceForce, "Durham Constabulary (demo)", true, ForceCode: "DUR", LaCode: La,
            Contacts: [Contact("Operation Encompass Desk")], Channel: Inbox()),
        Team(OrganisationTypes.HealthVisitingTeam, "Synthetic 0-19 Health Visiting Team DH1", covered: true),
        Team(OrganisationTypes.SchoolNursingTeam, "Synthetic 0-19 School Nursing Team DH1", covered: true),
        Team(OrganisationTypes.MidwiferyTeam, "Synthetic Community Midwifery Team DH1", covered: true),
        Team(OrganisationTypes.NpsSpoc, "Synthetic NPS SPOC County Durham"),
        Team(OrganisationTypes.CrcSpoc, "Synthetic CRC SPOC County Durham"),
        Team(OrganisationTypes.YosTeam, "Synthetic Youth Offending Service County Durham"),
        Team(OrganisationTypes.Mash, "Synthetic MASH County Durham"),
        Team(OrganisationTypes.MaracCoordinator, "Synthetic MARAC Coordinator County Durham"),
        Team(OrganisationTypes.LaEducationSafeguardingTeam, "Synthetic Education Safeguarding Team County Durham"),
        Team(OrganisationTypes.PartnershipLead, "Synthetic Safeguarding Partnership Lead County Durham"),
    ];

    public static async Task<DemoSeedReport> SeedAsync(DirectoryStore store, CancellationToken cancellationToken)
    {
        List<string> created = [], updated = [], unchanged = [];
        foreach (var organisation in Organisations)
        {
            var current = await store.FindAsync(organisation.Id, cancellationToken);
            if (current is null)
            {
                await store.CreateAsync(organisation, OrganisationEntity.SourceDemo, cancellationToken);
                created.Add(organisation.Id);
            }
            else if (Same(current.Organisation, organisation))
            {
                unchanged.Add(organisation.Id);
            }
            else
            {
                // Unconditional: the demo definition wins over whatever was there.
                await store.UpdateAsync(organisation.Id, ifMatch: null, _ => organisation, cancellationToken,
                    entity => entity.Remove(OrganisationEntity.DeactivatedBy));
                updated.Add(organisation.Id);
            }
        }
        return new DemoSeedReport(created, updated, unchanged);
    }

    /// <summary>Compares through the stored form, so lists compare by content.</summary>
    private static bool Same(Organisation a, Organisation b)
    {
        var now = DateTimeOffset.UnixEpoch;
        var x = OrganisationEntity.ToEntity(a, null, now);
        var y = OrganisationEntity.ToEntity(b, null, now);
        return x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && Equals(p.Value, v));
    }

    private static Organisation School(string urn, string name, string phase, int low, int high, string postcode) =>
        new("school-" + urn, OrganisationTypes.School, name, true, Urn: urn, LaCode: La, Phase: phase,
            StatutoryLowAge: low, StatutoryHighAge: high, Postcode: postcode,
            Contacts: [Contact("Designated Safeguarding Lead")], Channel: Inbox(), SchoolDayStart: SchoolDay);

    private static Organisation Team(string type, string name, bool covered = false) =>
        new("demo-840-" + type, type, name, true, LaCode: La, Contacts: [Contact("Duty Officer")], Channel: Inbox(),
            Coverage: covered ? new Coverage([GpPractice], [PostcodeDistrict]) : null);

    private static Contact Contact(string role) =>
        new("Synthetic " + role, role, role.ToLowerInvariant().Replace(' ', '.').Replace("-", "") + "@example.invalid", null);

    private static ChannelSettings Inbox() => new("inbox", null, null);
}
