using NotifyHub.Domain.Directory;
using NotifyHub.Domain.FrontDoor;

namespace NotifyHub.Organisations;

/// <summary>
/// What the demo seed did: which demo organisations it created, which were already there (left as they are), and
/// which it could not create (a demo force code held by another organisation from before the demo space existed).
/// </summary>
public sealed record DemoSeedReport(IReadOnlyList<string> Created, IReadOnlyList<string> AlreadyPresent, IReadOnlyList<string> Refused);

/// <summary>
/// A small synthetic directory for demos and end-to-end tests, wholly inside the <see cref="DemoSpace"/> so that it
/// can never meet a real organisation or a real incident: LA 999 with three schools (URN 999001 is the example
/// incident's), an early-years setting, one team of every other recipient type covering GP practice Q99001 and
/// postcode district QQ9, that GP practice itself (gp-q99001), and a demo police force (force code DEMO, organisation
/// demo-police). All names, addresses and contacts are invented; mail goes to <c>example.invalid</c>. For the delivery
/// demo the primary school (999001) takes signed webhooks at the local demo receiver, the health visiting team secure
/// email links, and every other recipient its inbox. LA 998 is the front-door demo: its school's shares (URN 999101) go
/// first to its MASH (demo-998-mash), which reviews and releases them (docs/routing.md).
/// </summary>
public static class DemoDirectory
{
    public const string PoliceId = "demo-police";

    /// <summary>Where the demo school's webhooks go: the demo receiver <c>scripts/run-local</c> starts.</summary>
    public const string WebhookUrl = "http://127.0.0.1:7072/demo-school";

    /// <summary>The demo health visiting team's secure-email address (the local maildev catches it).</summary>
    public const string HealthVisitingEmail = "health.visiting.qq9@example.invalid";

    /// <summary>Where the demo partnership's alerts about late shares go (the local maildev catches it).</summary>
    public const string PartnershipEscalationEmail = "partnership.escalations.qq9@example.invalid";

    /// <summary>The front-door demo LA's MASH: it reviews and releases every school share of LA <see cref="DemoSpace.FrontDoorLa"/>.</summary>
    public const string FrontDoorMashId = DemoSpace.IdPrefix + "998-mash";

    /// <summary>The front-door demo LA's school (URN 999101): told of its pupils only once the MASH releases each share.</summary>
    public static readonly string FrontDoorSchoolUrn = DemoSpace.Urn(101);

    /// <summary>LA <see cref="DemoSpace.FrontDoorLa"/>'s path: schools' shares go through its MASH, and on automatically when its release is late.</summary>
    public static readonly AreaPath FrontDoorPath = new(OrganisationTypes.School, FrontDoorMashId, AutoReleaseWhenLate: true);

    private static readonly TimeOnly SchoolDay = new(8, 30);

    public static IReadOnlyList<Organisation> Organisations { get; } =
    [
        School(DemoSpace.Urn(1), "Synthetic Demo Primary School", "Primary", 4, 11, "QQ9 9ZZ") with { Channel = new("webhook", WebhookUrl, null) },
        School(DemoSpace.Urn(2), "Synthetic Demo Secondary School", "Secondary", 11, 18, "QQ9 8ZZ"),
        School(DemoSpace.Urn(3), "Synthetic Demo Special School", "Not applicable", 3, 19, "QQ9 7ZZ"),
        new("early-years-ey" + DemoSpace.Urn(1), OrganisationTypes.EarlyYearsSetting, "Synthetic Demo Nursery", true, Urn: "EY" + DemoSpace.Urn(1),
            LaCode: DemoSpace.La, Postcode: "QQ9 6ZZ", Contacts: [Contact("Nursery Manager")], Channel: Inbox(), SchoolDayStart: new TimeOnly(8, 0)),
        new(PoliceId, OrganisationTypes.PoliceForce, "Synthetic Demo Constabulary", true, ForceCode: DemoSpace.ForceCode, LaCode: DemoSpace.La,
            Contacts: [Contact("Operation Encompass Desk")], Channel: Inbox()),
        Team(OrganisationTypes.HealthVisitingTeam, "Synthetic 0-19 Health Visiting Team QQ9", covered: true) with { Channel = new("email", null, HealthVisitingEmail) },
        Team(OrganisationTypes.SchoolNursingTeam, "Synthetic 0-19 School Nursing Team QQ9", covered: true),
        Team(OrganisationTypes.MidwiferyTeam, "Synthetic Community Midwifery Team QQ9", covered: true),
        Team(OrganisationTypes.NpsSpoc, "Synthetic Demo NPS SPOC"),
        Team(OrganisationTypes.CrcSpoc, "Synthetic Demo CRC SPOC"),
        Team(OrganisationTypes.YosTeam, "Synthetic Demo Youth Offending Service"),
        Team(OrganisationTypes.Mash, "Synthetic Demo MASH"),
        Team(OrganisationTypes.MaracCoordinator, "Synthetic Demo MARAC Coordinator"),
        Team(OrganisationTypes.LaEducationSafeguardingTeam, "Synthetic Demo Education Safeguarding Team"),
        new(DirectoryIndexKeys.IdForOdsCode(DemoSpace.GpPractice), OrganisationTypes.GpPractice, "Synthetic Demo Surgery", true,
            OdsCode: DemoSpace.GpPractice, LaCode: DemoSpace.La, Postcode: "QQ9 5ZZ", Contacts: [Contact("Practice Safeguarding Lead")], Channel: Inbox()),
        Team(OrganisationTypes.PartnershipLead, "Synthetic Demo Safeguarding Partnership Lead") with
        {
            Channel = null, Coverage = null, LaCodes = [DemoSpace.La, DemoSpace.FrontDoorLa], EscalationContacts = [new(PartnershipEscalationEmail, [])],
        },
        // LA 998: the same kind of area, but its schools are told through its front door.
        School(FrontDoorSchoolUrn, "Synthetic Front Door Primary School", "Primary", 4, 11, "QQ9 4ZZ") with { LaCode = DemoSpace.FrontDoorLa },
        new(FrontDoorMashId, OrganisationTypes.Mash, "Synthetic Front Door MASH", true, LaCode: DemoSpace.FrontDoorLa, Contacts: [Contact("Duty Officer")],
            Channel: Inbox()),
    ];

    /// <summary>
    /// Creates each demo organisation that is absent. Never overwrites: one that exists (an earlier seed, perhaps
    /// changed or deactivated since by an administrator) is left exactly as it is.
    /// </summary>
    public static async Task<DemoSeedReport> SeedAsync(DirectoryStore store, AreaPathStore paths, CancellationToken cancellationToken)
    {
        List<string> created = [], present = [], refused = [];
        foreach (var organisation in Organisations)
        {
            var result = await store.CreateAsync(organisation, OrganisationEntity.SourceDemo, cancellationToken);
            (result.Status switch { SaveStatus.Saved => created, SaveStatus.AlreadyExists => present, _ => refused }).Add(organisation.Id);
        }
        // The front-door LA's path, unless an administrator has set its paths since (never overwritten).
        if ((await paths.ForLaAsync(DemoSpace.FrontDoorLa, cancellationToken)).Count == 0)
            await paths.ReplaceAsync(DemoSpace.FrontDoorLa, [FrontDoorPath], "demo-seed", cancellationToken);
        return new DemoSeedReport(created, present, refused);
    }

    private static Organisation School(string urn, string name, string phase, int low, int high, string postcode) =>
        new("school-" + urn, OrganisationTypes.School, name, true, Urn: urn, LaCode: DemoSpace.La, Phase: phase,
            StatutoryLowAge: low, StatutoryHighAge: high, Postcode: postcode,
            Contacts: [Contact("Designated Safeguarding Lead")], Channel: Inbox(), SchoolDayStart: SchoolDay);

    private static Organisation Team(string type, string name, bool covered = false) =>
        new(DemoSpace.IdPrefix + type, type, name, true, LaCode: DemoSpace.La, Contacts: [Contact("Duty Officer")], Channel: Inbox(),
            Coverage: covered ? new Coverage([DemoSpace.GpPractice], [DemoSpace.PostcodeDistrict]) : null);

    private static Contact Contact(string role) =>
        new("Synthetic " + role, role, role.ToLowerInvariant().Replace(' ', '.').Replace("-", "") + "@example.invalid", null);

    private static ChannelSettings Inbox() => new("inbox", null, null);
}
