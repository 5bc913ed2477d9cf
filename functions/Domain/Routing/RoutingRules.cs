namespace NotifyHub.Domain.Routing;

/// <summary>
/// The names of the routing rules (domain.md, "Who gets what"), in routing-table order. A
/// delivery's rules, deliveries and unrouted shares are all ordered by this list.
/// </summary>
public static class RoutingRules
{
    /// <summary>Child aged 4–18 with a school URN → that school (all risk levels).</summary>
    public const string OperationEncompass = "operation-encompass";

    /// <summary>Child under 4 with a school URN (a school's nursery class) → that school.</summary>
    public const string NurseryClass = "nursery-class";

    /// <summary>School-age child with no URN, or electively home educated → LA education safeguarding team.</summary>
    public const string SchoolAgeNoSchool = "school-age-no-school";

    /// <summary>School-age child whose URN is not in the directory → LA education safeguarding team.</summary>
    public const string SchoolNotInDirectory = "school-not-in-directory";

    /// <summary>Child under 5 not in school → 0–19 health visiting team (GP practice, else postcode district).</summary>
    public const string HealthVisiting = "health-visiting";

    /// <summary>Child with a named early-years setting → that setting.</summary>
    public const string EarlyYearsSetting = "early-years-setting";

    /// <summary>School-age child (in school, or 5 and over) → 0–19 school nursing team.</summary>
    public const string SchoolNursing = "school-nursing";

    /// <summary>Adult victim pregnant, or an unborn child listed → midwifery team.</summary>
    public const string Midwifery = "midwifery";

    /// <summary>Adult supervised by the NPS → NPS SPOC. Kept apart from CRC (action plan 2.12).</summary>
    public const string ProbationNps = "probation-nps";

    /// <summary>Adult supervised by a CRC → CRC SPOC.</summary>
    public const string ProbationCrc = "probation-crc";

    /// <summary>Young person known to the YOS → YOS team for the LA.</summary>
    public const string Yos = "yos";

    /// <summary>Medium or high risk → MASH.</summary>
    public const string Mash = "mash";

    /// <summary>High risk → MARAC coordinator.</summary>
    public const string Marac = "marac";

    public const char Separator = '+';

    public static readonly IReadOnlyList<string> InOrder =
    [
        OperationEncompass, NurseryClass, SchoolAgeNoSchool, SchoolNotInDirectory, HealthVisiting, EarlyYearsSetting,
        SchoolNursing, Midwifery, ProbationNps, ProbationCrc, Yos, Mash, Marac,
    ];

    internal static int Order(string rule)
    {
        for (var i = 0; i < InOrder.Count; i++) if (InOrder[i] == rule) return i;
        throw new ArgumentOutOfRangeException(nameof(rule), rule, "not a routing rule");
    }
}

/// <summary>Why an expected share could not be routed: stable codes for reports, with text for people.</summary>
public static class UnroutedReasons
{
    public const string NoUrn = "no-urn";
    public const string UrnNotInDirectory = "urn-not-in-directory";
    public const string ElectiveHomeEducation = "elective-home-education";
    public const string NoHealthTeamForGpOrPostcode = "no-health-team-for-gp-or-postcode";
    public const string NoMidwiferyTeam = "no-midwifery-team";
    public const string NoSpocForLa = "no-spoc-for-la";
    public const string NoYosForLa = "no-yos-for-la";
    public const string NoMashForLa = "no-mash-for-la";
    public const string NoMaracForLa = "no-marac-for-la";
    public const string NoLaEducationTeam = "no-la-education-team";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [NoUrn] = "School-age child with no school URN: the LA education safeguarding team must find the school.",
        [UrnNotInDirectory] = "The school or setting URN given by police is not an active organisation in the directory.",
        [ElectiveHomeEducation] = "Child is electively home educated: no school to notify; the LA education safeguarding team is told.",
        [NoHealthTeamForGpOrPostcode] = "No 0–19 health team in the directory covers the child's GP practice or the incident's postcode district.",
        [NoMidwiferyTeam] = "No midwifery team in the directory covers the GP practice, postcode district or local authority.",
        [NoSpocForLa] = "No probation SPOC of this provider (NPS or CRC) in the directory for the local authority.",
        [NoYosForLa] = "No YOS team in the directory for the local authority.",
        [NoMashForLa] = "No MASH in the directory for the local authority.",
        [NoMaracForLa] = "No MARAC coordinator in the directory for the local authority.",
        [NoLaEducationTeam] = "No LA education safeguarding team in the directory for the local authority.",
    };

    public static string Describe(string reason) =>
        Descriptions.TryGetValue(reason, out var text) ? text : reason;
}
