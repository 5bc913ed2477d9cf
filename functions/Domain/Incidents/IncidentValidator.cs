using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Incidents;

/// <summary>Limits the incident schema enforces; defaults are the documented contract.</summary>
public sealed record IncidentRules
{
    /// <summary>How far ahead of the hub's clock a police system's timestamps may be.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxChildren { get; init; } = 20;
    public int MaxAdults { get; init; } = 20;
    public int MaxSummaryLength { get; init; } = 2000;
    public int MaxChildVoiceLength { get; init; } = 2000;
}

/// <summary>
/// The incident schema (domain.md, "An incident, as police submit it"): a pure function from the
/// posted JSON and the current time to an <see cref="Incident"/> or every reason it is refused.
/// </summary>
public static partial class IncidentValidator
{
    private const int NameLength = 100;

    /// <summary>
    /// What is wrong with an incident's force code and reference as given in a path (<c>/api/incidents/{force}/{reference}…</c>):
    /// the same rules as when it is submitted, so that no lookup is made for a key the store could never hold.
    /// </summary>
    public static FieldErrors PathErrors(string force, string reference)
    {
        var errors = new FieldErrors();
        if (!ForceCodePattern().IsMatch(force)) errors.Add("force", "must be 2 to 10 capital letters or digits");
        if (!ReferencePattern().IsMatch(reference)) errors.Add("reference", "must be 1 to 40 letters, digits, '-', '_' or '.', starting with a letter or digit");
        return errors;
    }

    public static Validated<Incident> Validate(JsonElement body, DateTimeOffset now, IncidentRules rules)
    {
        var errors = new FieldErrors();
        var root = JsonFields.Object(body, "", errors);
        if (root is null) return new(null, errors);

        var forceCode = root.String("forceCode", 10, required: true, ForceCodePattern(), "must be 2 to 10 capital letters or digits");
        var reference = root.String("incidentReference", 40, required: true, ReferencePattern(),
            "must be 1 to 40 letters, digits, '-', '_' or '.', starting with a letter or digit");
        var occurredAt = root.Instant("occurredAt", required: true);
        var reportedAt = root.Instant("reportedAt", required: true);
        var attendedAt = root.Instant("attendedAt", required: false);
        var risk = root.Enum<RiskLevel>("riskLevel", required: true);
        var location = root.Nested("location", required: true, ReadLocation);
        var summary = root.String("summary", rules.MaxSummaryLength, required: true);
        var officer = root.Nested("officer", required: true, ReadOfficer);

        var referenceDate = occurredAt ?? now;
        var children = root.Array("children", required: true, minItems: 1, rules.MaxChildren,
            c => ReadChild(c, referenceDate, rules));
        var adults = root.Array("adults", required: false, minItems: 0, rules.MaxAdults,
            a => ReadAdult(a, referenceDate)) ?? [];
        root.RefuseUnknownFields();

        var latestAllowed = now + rules.ClockSkew;
        CheckNotFuture(root, "occurredAt", occurredAt, latestAllowed);
        CheckNotFuture(root, "reportedAt", reportedAt, latestAllowed);
        CheckNotFuture(root, "attendedAt", attendedAt, latestAllowed);
        if (occurredAt is { } occurred && occurred.Year < 2000) root.Fail("occurredAt", "must be in the year 2000 or later");
        if (occurredAt is { } o1 && reportedAt is { } r1 && r1 < o1 - rules.ClockSkew)
            root.Fail("reportedAt", "must not be before occurredAt");
        if (occurredAt is { } o2 && attendedAt is { } a2 && a2 < o2 - rules.ClockSkew)
            root.Fail("attendedAt", "must not be before occurredAt");

        if (errors.Any) return new(null, errors);
        return new(new Incident(forceCode!, reference!, occurredAt!.Value, reportedAt!.Value, attendedAt, risk!.Value,
            location!, summary!, officer!, children!, adults), errors);
    }

    private static void CheckNotFuture(JsonFields fields, string name, DateTimeOffset? value, DateTimeOffset latest)
    {
        if (value > latest && !fields.Failed(name)) fields.Fail(name, "must not be in the future");
    }

    private static IncidentLocation? ReadLocation(JsonFields f)
    {
        var la = f.String("laCode", 3, required: true, LaCodePattern(), "must be a three-digit DfE local authority code");
        var district = f.String("postcodeDistrict", 4, required: true, PostcodeDistrictPattern(),
            "must be a postcode district (outward code only), e.g. DH1");
        return la is null || district is null ? null : new IncidentLocation(la, district.ToUpperInvariant());
    }

    private static OfficerContact? ReadOfficer(JsonFields f)
    {
        var name = f.String("name", NameLength, required: true);
        var collar = f.String("collarNumber", 20, required: false);
        var phone = f.String("phone", 30, required: false, PhonePattern(), "must be a telephone number");
        var email = f.String("email", 254, required: false, EmailPattern(), "must be an email address");
        if (phone is null && email is null && !f.Failed("phone") && !f.Failed("email"))
            f.Fail("phone", "a phone or an email is required so that recipients can contact the officer");
        return name is null ? null : new OfficerContact(name, collar, phone, email);
    }

    private static Child? ReadChild(JsonFields f, DateTimeOffset occurredAt, IncidentRules rules)
    {
        var personRef = f.String("policePersonReference", 40, required: true, ReferencePattern(),
            "must be 1 to 40 letters, digits, '-', '_' or '.'");
        var nhsText = f.String("nhsNumber", 12, required: false);
        string? nhs = null;
        if (nhsText is not null)
        {
            nhs = NhsNumber.Normalise(nhsText);
            if (nhs is null) f.Fail("nhsNumber", "must be a 10-digit NHS number with a valid check digit");
        }
        var dob = f.Date("dateOfBirth", required: false);
        var due = f.Date("expectedDueDate", required: false);
        var unborn = dob is null && due is not null;
        var given = f.String("givenName", NameLength, required: !unborn && !f.Failed("expectedDueDate"));
        var family = f.String("familyName", NameLength, required: !unborn && !f.Failed("expectedDueDate"));
        var present = f.Boolean("present", required: true);
        var welfare = f.Boolean("welfareCheckDone", required: false) ?? false;
        var urn = f.String("schoolUrn", 6, required: false, UrnPattern(), "must be a 6-digit DfE URN");
        var homeEducated = f.Boolean("electivelyHomeEducated", required: false) ?? false;
        var earlyYears = f.String("earlyYearsSettingUrn", 8, required: false, EarlyYearsUrnPattern(),
            "must be an Ofsted URN: 6 digits, or EY followed by 6 digits");
        var gp = f.String("gpPracticeOdsCode", 6, required: false, GpOdsPattern(), "must be a GP practice ODS code, e.g. A81001");
        var yos = f.Boolean("knownToYos", required: false) ?? false;
        var said = f.String("whatChildSaid", rules.MaxChildVoiceLength, required: false);
        var demeanour = f.String("demeanour", 500, required: false);

        var today = DateOnly.FromDateTime(occurredAt.UtcDateTime);
        if (dob is not null && due is not null)
        {
            f.Fail("expectedDueDate", "give either dateOfBirth or, for an unborn child, expectedDueDate — not both");
        }
        else if (dob is null && due is null && !f.Failed("dateOfBirth") && !f.Failed("expectedDueDate"))
        {
            f.Fail("dateOfBirth", "is required (or expectedDueDate for an unborn child)");
        }
        if (dob is { } birth)
        {
            if (birth > today.AddDays(1)) f.Fail("dateOfBirth", "must not be after the incident");
            else if (birth <= today.AddYears(-19)) f.Fail("dateOfBirth", "must be a child's: under 19 at the time of the incident");
        }
        if (due is { } expected && (expected < today.AddDays(-28) || expected > today.AddDays(7 * 42)))
        {
            f.Fail("expectedDueDate", "must be within 4 weeks before and 42 weeks after the incident");
        }
        if (urn is not null && homeEducated) f.Fail("electivelyHomeEducated", "a child with a schoolUrn is not electively home educated");
        if (unborn && (urn is not null || earlyYears is not null)) f.Fail("schoolUrn", "an unborn child has no school or setting");

        if (personRef is null || present is null || f.Failed("nhsNumber") || (dob is null && due is null)) return null;
        return new Child(personRef, nhs, given, family, dob, due, present.Value, welfare, urn, homeEducated, earlyYears,
            gp?.ToUpperInvariant(), yos, said, demeanour);
    }

    private static Adult? ReadAdult(JsonFields f, DateTimeOffset occurredAt)
    {
        var role = f.Enum<AdultRole>("role", required: true);
        var personRef = f.String("policePersonReference", 40, required: false, ReferencePattern(),
            "must be 1 to 40 letters, digits, '-', '_' or '.'");
        var given = f.String("givenName", NameLength, required: true);
        var family = f.String("familyName", NameLength, required: true);
        var dob = f.Date("dateOfBirth", required: false);
        var pregnant = f.Boolean("pregnant", required: false) ?? false;
        var probation = f.Nested("probation", required: false, ReadProbation);
        var yos = f.Boolean("knownToYos", required: false) ?? false;

        var today = DateOnly.FromDateTime(occurredAt.UtcDateTime);
        if (dob is { } birth)
        {
            if (birth > today.AddYears(-10)) f.Fail("dateOfBirth", "must be at least 10 years before the incident");
            else if (birth < today.AddYears(-120)) f.Fail("dateOfBirth", "must be within 120 years of the incident");
        }

        if (role is null || given is null || family is null || f.Failed("dateOfBirth") || f.Failed("probation")) return null;
        return new Adult(role.Value, personRef, given, family, dob, pregnant, probation, yos);
    }

    private static ProbationSupervision? ReadProbation(JsonFields f)
    {
        var provider = f.Enum<ProbationProvider>("provider", required: true);
        var region = f.String("region", 100, required: true);
        var office = f.String("office", 100, required: false);
        return provider is null || region is null ? null : new ProbationSupervision(provider.Value, region, office);
    }

    [GeneratedRegex("^[A-Z0-9]{2,10}$")] private static partial Regex ForceCodePattern();
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")] private static partial Regex ReferencePattern();
    [GeneratedRegex(@"^[0-9]{3}$")] private static partial Regex LaCodePattern();
    [GeneratedRegex("^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?$")] private static partial Regex PostcodeDistrictPattern();
    [GeneratedRegex(@"^[1-9][0-9]{5}$")] private static partial Regex UrnPattern();
    [GeneratedRegex(@"^(EY)?[0-9]{6}$")] private static partial Regex EarlyYearsUrnPattern();
    [GeneratedRegex("^[A-Za-z][0-9]{5}$")] private static partial Regex GpOdsPattern();
    [GeneratedRegex(@"^\+?[0-9 ()-]{6,30}$")] private static partial Regex PhonePattern();
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")] private static partial Regex EmailPattern();
}
