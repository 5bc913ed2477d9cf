namespace NotifyHub.Domain.Directory;

/// <summary>
/// The identifiers reserved for demo organisations, chosen so that no real organisation or real incident can
/// ever meet them: local authority <c>999</c> (DfE codes stop at 943), URNs <c>999000</c>–<c>999999</c> and
/// <c>EY999000</c>–<c>EY999999</c> (far beyond any URN issued), GP practice codes and postcode districts starting
/// with <c>Q</c> (no GP practice code or UK postcode area begins with Q), force code <c>DEMO</c>, and organisation
/// ids starting <c>demo-</c>. The rule both ways: a demo organisation uses only demo identifiers, a real one none;
/// so demo data can neither overwrite a real organisation nor be chosen by routing for a real incident.
/// </summary>
public static class DemoSpace
{
    public const string La = "999";
    /// <summary>The demo LA whose schools are told through its front door (its MASH reviews and releases each share): docs/routing.md.</summary>
    public const string FrontDoorLa = "998";
    public const string ForceCode = "DEMO";
    public const string GpPractice = "Q99001";
    public const string PostcodeDistrict = "QQ9";
    public const string IdPrefix = "demo-";
    private const string UrnPrefix = "999";

    /// <summary>The demo URN with the given number (1–999): <c>999001</c> and so on.</summary>
    public static string Urn(int number) => UrnPrefix + number.ToString("000", System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsDemoUrn(string? urn)
    {
        if (urn is null) return false;
        var digits = urn.StartsWith("EY", StringComparison.OrdinalIgnoreCase) ? urn[2..] : urn;
        return digits.Length == 6 && digits.StartsWith(UrnPrefix, StringComparison.Ordinal);
    }

    public static bool IsDemoLa(string? laCode) => laCode is La or FrontDoorLa;

    public static bool IsDemoGp(string gp) => gp.StartsWith('Q') || gp.StartsWith('q');

    public static bool IsDemoDistrict(string district) => district.StartsWith('Q') || district.StartsWith('q');

    public static bool IsDemoForce(string? forceCode) => string.Equals(forceCode, ForceCode, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="id"/> belongs to the demo space: <c>demo-…</c>, or the id of a demo URN or demo GP practice code.</summary>
    public static bool IsDemoId(string id) =>
        id.StartsWith(IdPrefix, StringComparison.Ordinal)
        || (id.StartsWith("school-", StringComparison.Ordinal) && IsDemoUrn(id["school-".Length..]))
        || (id.StartsWith("early-years-", StringComparison.Ordinal) && IsDemoUrn(id["early-years-".Length..]))
        || (id.StartsWith("gp-", StringComparison.Ordinal) && id.Length == "gp-".Length + 6 && IsDemoGp(id["gp-".Length..]));

    /// <summary>
    /// Every field of <paramref name="organisation"/> on the wrong side of the line, with the reason: for a real
    /// organisation each demo identifier it uses, for a demo one each real identifier. Empty when it is consistent.
    /// </summary>
    public static IReadOnlyList<(string Field, string Reason)> Violations(Organisation organisation)
    {
        var demo = IsDemoId(organisation.Id);
        var found = new List<(string, string)>();
        void Check(string field, bool isDemo)
        {
            if (isDemo == demo) return;
            found.Add((field, demo
                ? $"must be a demo identifier: {organisation.Id} is a demo organisation"
                : "is reserved for demo organisations"));
        }

        if (organisation.Urn is not null) Check("urn", IsDemoUrn(organisation.Urn));
        // Only a GP practice's own code is a GP practice code: other NHS bodies' ODS codes may well start with Q.
        if (organisation is { Type: OrganisationTypes.GpPractice, OdsCode: { } odsCode }) Check("odsCode", IsDemoGp(odsCode));
        if (organisation.LaCode is not null) Check("laCode", IsDemoLa(organisation.LaCode));
        if (organisation.ForceCode is not null) Check("forceCode", IsDemoForce(organisation.ForceCode));
        for (var i = 0; i < (organisation.LaCodes?.Count ?? 0); i++) Check($"laCodes[{i}]", IsDemoLa(organisation.LaCodes![i]));
        if (organisation.Coverage is { } coverage)
        {
            for (var i = 0; i < coverage.GpPracticeOdsCodes.Count; i++)
                Check($"coverage.gpPracticeOdsCodes[{i}]", IsDemoGp(coverage.GpPracticeOdsCodes[i]));
            for (var i = 0; i < coverage.PostcodeDistricts.Count; i++)
                Check($"coverage.postcodeDistricts[{i}]", IsDemoDistrict(coverage.PostcodeDistricts[i]));
        }
        return found;
    }
}
