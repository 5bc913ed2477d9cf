using NotifyHub.Domain.Directory;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// The words the pages use for the reports' keys: a recipient type (and <c>not-received</c>, the type a share missing at
/// source is counted under), so that no page or legend shows a raw key.
/// </summary>
public static class ReportLabels
{
    /// <summary>The recipient type of a share the force listed but the hub never received (its recipient is unknown).</summary>
    public const string NotReceived = "not-received";

    /// <summary>Recipient types in the order the pages list them: schools first, the MASH and MARAC last.</summary>
    public static readonly IReadOnlyList<(string Key, string Name)> RecipientTypes =
    [
        (OrganisationTypes.School, "Schools and colleges"),
        (OrganisationTypes.EarlyYearsSetting, "Early years settings"),
        (OrganisationTypes.HealthVisitingTeam, "Health visiting"),
        (OrganisationTypes.SchoolNursingTeam, "School nursing"),
        (OrganisationTypes.MidwiferyTeam, "Midwifery"),
        (OrganisationTypes.GpPractice, "GP practice"),
        (OrganisationTypes.NpsSpoc, "Probation: NPS SPOC"),
        (OrganisationTypes.CrcSpoc, "Probation: CRC SPOC"),
        (OrganisationTypes.YosTeam, "Youth offending service"),
        (OrganisationTypes.Mash, "MASH"),
        (OrganisationTypes.LaEducationSafeguardingTeam, "LA education safeguarding"),
        (OrganisationTypes.MaracCoordinator, "MARAC coordinator"),
        (NotReceived, "Never received by the hub (missing at source)"),
    ];

    private static readonly Dictionary<string, (int Order, string Name)> ByKey =
        RecipientTypes.Select((t, i) => (t.Key, Value: (i, t.Name))).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    /// <summary>A recipient type in words; an unknown one with its hyphens as spaces, capitalised.</summary>
    public static string RecipientType(string key) =>
        ByKey.TryGetValue(key, out var known) ? known.Name
        : key.Length == 0 ? "Unknown" : char.ToUpperInvariant(key[0]) + key[1..].Replace('-', ' ');

    /// <summary>Where a recipient type comes in <see cref="RecipientTypes"/> (unknown ones last).</summary>
    public static int Order(string key) => ByKey.TryGetValue(key, out var known) ? known.Order : int.MaxValue;
}
