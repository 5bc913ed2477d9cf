namespace NotifyHub.Domain.Directory;

/// <summary>
/// The keys under which routing finds an organisation: the one place that decides what the
/// <c>DirectoryIndex</c> table holds. An inactive organisation is findable by nothing.
/// </summary>
public static class DirectoryIndexKeys
{
    /// <summary>Types found by the local authority they serve.</summary>
    public static readonly IReadOnlySet<string> ByLocalAuthority = new HashSet<string>(StringComparer.Ordinal)
    {
        OrganisationTypes.MidwiferyTeam, OrganisationTypes.NpsSpoc, OrganisationTypes.CrcSpoc, OrganisationTypes.YosTeam,
        OrganisationTypes.Mash, OrganisationTypes.MaracCoordinator, OrganisationTypes.LaEducationSafeguardingTeam,
        OrganisationTypes.PartnershipLead,
    };

    /// <summary>Types found by the GP practices and postcode districts they cover.</summary>
    public static readonly IReadOnlySet<string> ByCoverage = new HashSet<string>(StringComparer.Ordinal)
    {
        OrganisationTypes.HealthVisitingTeam, OrganisationTypes.SchoolNursingTeam, OrganisationTypes.MidwiferyTeam,
    };

    /// <summary>Types found by their DfE URN (schools) or Ofsted URN (early-years settings).</summary>
    public static readonly IReadOnlySet<string> ByUrn = new HashSet<string>(StringComparer.Ordinal)
    {
        OrganisationTypes.School, OrganisationTypes.EarlyYearsSetting,
    };

    /// <summary>
    /// The id of the one organisation a URN key can find: a school is <c>school-{urn}</c>, an
    /// early-years setting <c>early-years-{urn}</c> (lower case). Routing then reads that row
    /// directly, so URN keys need no index rows — which halves the writes of a GIAS import — and two
    /// organisations can never claim one URN.
    /// </summary>
    public static string? IdForUrn(string type, string urn) => type switch
    {
        OrganisationTypes.School => "school-" + urn.Trim().ToLowerInvariant(),
        OrganisationTypes.EarlyYearsSetting => "early-years-" + urn.Trim().ToLowerInvariant(),
        _ => null,
    };

    /// <summary>
    /// The id of the one GP practice with ODS code <paramref name="odsCode"/>: <c>gp-{code}</c> (lower case). Like a
    /// school's URN, the code is the id, so the hub finds a child's practice by reading that row (no index rows), and
    /// two organisations can never claim one practice.
    /// </summary>
    public static string IdForOdsCode(string odsCode) => "gp-" + odsCode.Trim().ToLowerInvariant();

    /// <summary>Whether the store keeps index rows for <paramref name="key"/> (URN keys are found by id instead).</summary>
    public static bool IsIndexed(DirectoryKey key) => key.Kind != DirectoryKey.Urn;

    public static DirectoryKey[] Of(Organisation organisation)
    {
        if (!organisation.Active) return [];
        var keys = new List<DirectoryKey>();
        var type = organisation.Type;
        if (ByUrn.Contains(type) && !string.IsNullOrWhiteSpace(organisation.Urn))
            keys.Add(new DirectoryKey(type, DirectoryKey.Urn, organisation.Urn));
        if (ByCoverage.Contains(type) && organisation.Coverage is { } coverage)
        {
            keys.AddRange(coverage.GpPracticeOdsCodes.Select(gp => new DirectoryKey(type, DirectoryKey.Gp, gp)));
            keys.AddRange(coverage.PostcodeDistricts.Select(d => new DirectoryKey(type, DirectoryKey.PostcodeDistrict, d)));
        }
        if (ByLocalAuthority.Contains(type) && !string.IsNullOrWhiteSpace(organisation.LaCode))
            keys.Add(new DirectoryKey(type, DirectoryKey.La, organisation.LaCode));
        // A partnership lead is found by every LA it covers: escalations look up the leads of an incident's LA.
        if (type == OrganisationTypes.PartnershipLead)
            keys.AddRange((organisation.LaCodes ?? []).Select(la => new DirectoryKey(type, DirectoryKey.La, la)));
        return keys.Select(Normalise).Distinct().ToArray();
    }

    /// <summary>
    /// The canonical form of a key: trimmed; ODS codes, postcode districts and URN prefixes in capitals.
    /// Routing may ask with any casing; the index stores only this form.
    /// </summary>
    public static DirectoryKey Normalise(DirectoryKey key) =>
        key with { Value = key.Value.Trim().ToUpperInvariant() };
}
