namespace NotifyHub.Domain.Directory;

/// <summary>
/// The kinds of organisation the hub knows. NPS and CRC SPOCs stay distinct everywhere (action plan 2.12). GP practices
/// are found by the ODS code police give for a child (<c>gpPracticeOdsCode</c>); routing sends them no incident, but
/// the steps after it (strategy discussions) invite them.
/// </summary>
public static class OrganisationTypes
{
    public const string PoliceForce = "police-force";
    public const string School = "school";
    public const string EarlyYearsSetting = "early-years-setting";
    public const string HealthVisitingTeam = "health-visiting-team";
    public const string SchoolNursingTeam = "school-nursing-team";
    public const string MidwiferyTeam = "midwifery-team";
    public const string NpsSpoc = "nps-spoc";
    public const string CrcSpoc = "crc-spoc";
    public const string YosTeam = "yos-team";
    public const string Mash = "mash";
    public const string LaEducationSafeguardingTeam = "la-education-safeguarding-team";
    public const string MaracCoordinator = "marac-coordinator";
    public const string PartnershipLead = "partnership-lead";
    public const string GpPractice = "gp-practice";

    public static readonly IReadOnlySet<string> All = new SortedSet<string>(StringComparer.Ordinal)
    {
        PoliceForce, School, EarlyYearsSetting, HealthVisitingTeam, SchoolNursingTeam, MidwiferyTeam,
        NpsSpoc, CrcSpoc, YosTeam, Mash, LaEducationSafeguardingTeam, MaracCoordinator, PartnershipLead, GpPractice,
    };
}

public sealed record Contact(string Name, string? Role, string? Email, string? Phone);

/// <summary>
/// Who a partnership lead's escalations go to: an email address, for late shares of the given recipient types in its
/// local authorities (every type when <paramref name="RecipientTypes"/> is empty).
/// </summary>
public sealed record EscalationContact(string Email, IReadOnlyList<string> RecipientTypes)
{
    public bool Covers(string recipientType) => RecipientTypes.Count == 0 || RecipientTypes.Contains(recipientType);
}

/// <summary>How a recipient is reached: a signed webhook to <c>Url</c>, a secure email link to <c>Email</c>, or its inbox (see ChannelPlan).</summary>
public sealed record ChannelSettings(string Kind, string? Url, string? Email);

/// <summary>Where a health team works: GP practices (ODS codes) and/or postcode districts.</summary>
public sealed record Coverage(IReadOnlyList<string> GpPracticeOdsCodes, IReadOnlyList<string> PostcodeDistricts)
{
    public static readonly Coverage None = new([], []);
}

/// <summary>One organisation in the directory.</summary>
/// <param name="Id">Stable id; schools are <c>school-{urn}</c>, GP practices <c>gp-{ods code}</c> (lower case).</param>
/// <param name="LaCode">The DfE code of the local authority it is in or serves.</param>
/// <param name="SchoolDayStart">Schools: when the school day starts (default 08:30 Europe/London).</param>
/// <param name="CalendarOverride">Schools with their own term dates (academies): the id of that calendar.</param>
/// <param name="LaCodes">Partnership leads: the local authorities whose reports they see and whose late shares they are alerted to.</param>
/// <param name="EscalationContacts">Partnership leads: where alerts about late shares go, by recipient type.</param>
public sealed record Organisation(
    string Id,
    string Type,
    string Name,
    bool Active,
    string? Urn = null,
    string? OdsCode = null,
    string? LaCode = null,
    string? ForceCode = null,
    string? Phase = null,
    int? StatutoryLowAge = null,
    int? StatutoryHighAge = null,
    string? Postcode = null,
    IReadOnlyList<Contact>? Contacts = null,
    ChannelSettings? Channel = null,
    TimeOnly? SchoolDayStart = null,
    string? CalendarOverride = null,
    Coverage? Coverage = null,
    IReadOnlyList<string>? LaCodes = null,
    IReadOnlyList<EscalationContact>? EscalationContacts = null);

/// <summary>
/// A key by which routing finds recipients: (organisation type, kind of key, value), e.g.
/// (school, urn, 100001), (health-visiting-team, gp, A99001), (nps-spoc, la, 840).
/// </summary>
public sealed record DirectoryKey(string Type, string Kind, string Value)
{
    public const string Urn = "urn";
    public const string Gp = "gp";
    public const string PostcodeDistrict = "postcode-district";
    public const string La = "la";
}

/// <summary>The part of the directory one routing decision needs, loaded before the decision is made.</summary>
public sealed class DirectorySnapshot(IReadOnlyDictionary<DirectoryKey, IReadOnlyList<Organisation>> entries)
{
    public static readonly DirectorySnapshot Empty = new(new Dictionary<DirectoryKey, IReadOnlyList<Organisation>>());

    /// <summary>Active organisations findable by <paramref name="key"/>, in id order.</summary>
    public IReadOnlyList<Organisation> Find(DirectoryKey key) =>
        entries.TryGetValue(key, out var found) ? found.Where(o => o.Active).OrderBy(o => o.Id, StringComparer.Ordinal).ToList() : [];
}
