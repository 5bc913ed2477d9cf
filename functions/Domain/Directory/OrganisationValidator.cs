using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Directory;

/// <summary>
/// Validates organisations as administrators send them (create and full replace) and coverage on
/// its own. Every bad field is named; the rules per type are the ones the directory index needs to
/// make the organisation findable (a school without a URN could never receive anything).
/// </summary>
public static partial class OrganisationValidator
{
    public static readonly TimeOnly DefaultSchoolDayStart = new(8, 30);

    /// <summary>Validates a new organisation as an administrator posts it.</summary>
    public static Validated<Organisation> ValidateNew(JsonElement body) => Validate(body, routeId: null, onActive: null);

    /// <summary>
    /// Validates a full replacement of organisation <paramref name="routeId"/>: the same fields as a new one;
    /// <c>id</c> may be left out but must not differ; <c>active</c> may be given (when left out the current
    /// state is kept), so that what GET answers can be PUT back as it is.
    /// </summary>
    public static Validated<Replacement> ValidateReplacement(JsonElement body, string routeId)
    {
        bool? active = null;
        var validated = Validate(body, routeId, a => active = a);
        return validated.IsValid ? new(new Replacement(validated.Value!, active), validated.Errors) : new(null, validated.Errors);
    }

    /// <summary>A validated full replacement; <see cref="Active"/> is null when the body left it out.</summary>
    public sealed record Replacement(Organisation Organisation, bool? Active);

    /// <summary>Validates a coverage body: <c>{"gpPracticeOdsCodes":[…],"postcodeDistricts":[…]}</c>.</summary>
    public static Validated<Coverage> ValidateCoverage(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var coverage = ReadCoverage(f);
        f.RefuseUnknownFields();
        return errors.Any ? new(null, errors) : new(coverage, errors);
    }

    /// <summary>Whether <paramref name="type"/> may have coverage at all.</summary>
    public static bool TakesCoverage(string type) => DirectoryIndexKeys.ByCoverage.Contains(type);

    private static Validated<Organisation> Validate(JsonElement body, string? routeId, Action<bool?>? onActive)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);

        var id = f.String("id", 64, required: routeId is null, IdPattern(), "must be 2 to 64 lower-case letters, digits or '-'");
        var type = f.String("type", 40, required: true);
        var name = f.String("name", 200, required: true);
        var active = onActive is null ? null : f.Boolean("active", required: false);
        onActive?.Invoke(active);
        var urn = f.String("urn", 8, required: false);
        var odsCode = UpperOrNull(f.String("odsCode", 8, required: false));
        var laCode = f.String("laCode", 3, required: false, LaCodePattern(), "must be a three-digit DfE local authority code");
        var forceCode = f.String("forceCode", 10, required: false, ForceCodePattern(), "must be 2 to 10 capital letters or digits");
        var phase = f.String("phase", 60, required: false);
        var lowAge = f.Integer("statutoryLowAge", required: false, 0, 99);
        var highAge = f.Integer("statutoryHighAge", required: false, 0, 99);
        var postcode = UpperOrNull(f.String("postcode", 8, required: false));
        var contacts = f.Array("contacts", required: false, minItems: 0, maxItems: 20, ReadContact);
        var channel = f.Nested("channel", required: false, ReadChannel);
        var schoolDayStartText = f.String("schoolDayStart", 5, required: false);
        var calendarOverride = f.String("calendarOverride", 64, required: false, IdPattern(), "must be a calendar id: 2 to 64 lower-case letters, digits or '-'");
        var coverage = f.Nested("coverage", required: false, ReadCoverage);
        var laCodes = f.Strings("laCodes", required: false, maxItems: 50, maxLength: 3, value => value, LaCodePattern(),
            "must be a three-digit DfE local authority code");
        var escalation = f.Array("escalationContacts", required: false, minItems: 0, maxItems: 20, ReadEscalationContact);
        f.RefuseUnknownFields();

        if (routeId is not null && id is not null && id != routeId) f.Fail("id", $"must be {routeId}, the id in the URL, or be left out");
        id ??= routeId;

        if (type is not null && !OrganisationTypes.All.Contains(type))
        {
            f.Fail("type", "must be one of: " + string.Join(", ", OrganisationTypes.All));
            type = null;
        }

        if (type is not null)
        {
            CheckUrn(f, type, urn);
            if (urn is not null && !f.Failed("urn") && DirectoryIndexKeys.IdForUrn(type, urn) is { } expectedId && (routeId ?? id) is { } givenId
                && givenId != expectedId && !f.Failed("id"))
                f.Fail(routeId is null ? "id" : "urn", $"a {type} with URN {urn.ToUpperInvariant()} has the id {expectedId}: routing finds it by that id");
            if (type == OrganisationTypes.GpPractice) CheckGpPractice(f, odsCode, routeId, id);
            if (type == OrganisationTypes.PoliceForce && forceCode is null && !f.Failed("forceCode")) f.Fail("forceCode", "is required for a police force");
            if (type != OrganisationTypes.PoliceForce && forceCode is not null) f.Fail("forceCode", "is only for police forces");
            // A partnership lead may span several LAs: laCodes (below) is its scope, and laCode is optional.
            if ((type == OrganisationTypes.School || DirectoryIndexKeys.ByLocalAuthority.Contains(type)) && type != OrganisationTypes.PartnershipLead
                && laCode is null && !f.Failed("laCode"))
                f.Fail("laCode", $"is required for a {type}: it is how routing finds it");
            if (type == OrganisationTypes.PartnershipLead && (laCodes is null || laCodes.Count == 0) && !f.Failed("laCodes"))
                f.Fail("laCodes", "is required for a partnership lead: the local authorities whose reports it sees");
            if (type != OrganisationTypes.PartnershipLead && laCodes is not null) f.Fail("laCodes", "is only for partnership leads");
            if (type != OrganisationTypes.PartnershipLead && escalation is not null) f.Fail("escalationContacts", "is only for partnership leads");
            if (!TakesCoverage(type) && coverage is not null) f.Fail("coverage", "is only for health visiting, school nursing and midwifery teams");
            var isSetting = DirectoryIndexKeys.ByUrn.Contains(type);
            if (!isSetting && schoolDayStartText is not null) f.Fail("schoolDayStart", "is only for schools and early-years settings");
            if (!isSetting && calendarOverride is not null) f.Fail("calendarOverride", "is only for schools and early-years settings");
            if (!isSetting && (phase is not null || lowAge is not null || highAge is not null))
            {
                if (phase is not null) f.Fail("phase", "is only for schools and early-years settings");
                if (lowAge is not null) f.Fail("statutoryLowAge", "is only for schools and early-years settings");
                if (highAge is not null) f.Fail("statutoryHighAge", "is only for schools and early-years settings");
            }
        }
        if (lowAge is not null && highAge is not null && lowAge > highAge) f.Fail("statutoryHighAge", "must not be below statutoryLowAge");
        if (odsCode is not null && !f.Failed("odsCode") && !OdsCodePattern().IsMatch(odsCode)) f.Fail("odsCode", "must be an NHS ODS code: 3 to 8 letters or digits");
        if (postcode is not null && !PostcodePattern().IsMatch(postcode)) f.Fail("postcode", "must be a UK postcode, e.g. DH1 5ZZ");

        TimeOnly? schoolDayStart = null;
        if (schoolDayStartText is not null)
        {
            if (TimeOnly.TryParseExact(schoolDayStartText, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) schoolDayStart = parsed;
            else f.Fail("schoolDayStart", "must be a time of day in the form HH:mm, e.g. 08:45");
        }
        if (type == OrganisationTypes.School) schoolDayStart ??= DefaultSchoolDayStart;

        if (routeId is null && id is not null && !f.Failed("id") && DemoSpace.IsDemoId(id))
        {
            // A demo id is demo-…, or the id of a demo URN or GP practice code: name the field the administrator chose.
            var field = id.StartsWith(DemoSpace.IdPrefix, StringComparison.Ordinal) ? "id"
                : type == OrganisationTypes.GpPractice ? "odsCode"
                : type is not null && DirectoryIndexKeys.ByUrn.Contains(type) ? "urn" : "id";
            if (!f.Failed(field)) f.Fail(field, field == "id" ? "is reserved for the demo directory, which only demo mode creates" : "is reserved for demo organisations");
        }
        if (errors.Any) return new(null, errors);
        var organisation = new Organisation(id!, type!, name!, Active: active ?? true,
            Urn: urn?.ToUpperInvariant(), OdsCode: odsCode, LaCode: laCode, ForceCode: forceCode, Phase: phase,
            StatutoryLowAge: lowAge, StatutoryHighAge: highAge, Postcode: postcode, Contacts: contacts ?? [],
            Channel: channel, SchoolDayStart: schoolDayStart, CalendarOverride: calendarOverride,
            Coverage: TakesCoverage(type!) ? coverage ?? Coverage.None : null,
            LaCodes: laCodes?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            EscalationContacts: type == OrganisationTypes.PartnershipLead ? escalation ?? [] : null);
        foreach (var (field, reason) in DemoSpace.Violations(organisation)) f.Fail(field, reason);
        return errors.Any ? new(null, errors) : new(organisation, errors);
    }

    private static void CheckUrn(JsonFields f, string type, string? urn)
    {
        if (f.Failed("urn")) return;
        switch (type)
        {
            case OrganisationTypes.School when urn is null:
                f.Fail("urn", "is required for a school: it is how routing finds it");
                break;
            case OrganisationTypes.School when !SchoolUrnPattern().IsMatch(urn):
                f.Fail("urn", "must be the school's six-digit DfE URN");
                break;
            case OrganisationTypes.EarlyYearsSetting when urn is null:
                f.Fail("urn", "is required for an early-years setting: it is how routing finds it");
                break;
            case OrganisationTypes.EarlyYearsSetting when !EarlyYearsUrnPattern().IsMatch(urn):
                f.Fail("urn", "must be the setting's Ofsted URN: EY and six digits, or six digits");
                break;
            case not (OrganisationTypes.School or OrganisationTypes.EarlyYearsSetting) when urn is not null:
                f.Fail("urn", "is only for schools and early-years settings");
                break;
        }
    }

    /// <summary>
    /// A GP practice is found by the ODS code police give for a child, read as the id <c>gp-{code}</c>
    /// (<see cref="DirectoryIndexKeys.IdForOdsCode"/>): the code is required, and the id must be that one.
    /// </summary>
    private static void CheckGpPractice(JsonFields f, string? odsCode, string? routeId, string? id)
    {
        if (f.Failed("odsCode")) return;
        if (odsCode is null)
        {
            f.Fail("odsCode", "is required for a GP practice: it is how the hub finds it");
            return;
        }
        if (!IsGpPracticeCode(odsCode))
        {
            f.Fail("odsCode", "must be the practice's ODS code: a letter and five digits, e.g. A99001");
            return;
        }
        var expectedId = DirectoryIndexKeys.IdForOdsCode(odsCode);
        if ((routeId ?? id) is { } givenId && givenId != expectedId && !f.Failed("id"))
            f.Fail(routeId is null ? "id" : "odsCode", $"a GP practice with ODS code {odsCode} has the id {expectedId}: the hub finds it by that id");
    }

    /// <summary>Whether <paramref name="code"/> (in capitals) is a GP practice's ODS code: a letter and five digits.</summary>
    public static bool IsGpPracticeCode(string code) => GpPracticePattern().IsMatch(code);

    /// <summary>Whether <paramref name="postcode"/> (in capitals) is a UK postcode as the directory stores one.</summary>
    public static bool IsPostcode(string postcode) => PostcodePattern().IsMatch(postcode);

    private static Contact? ReadContact(JsonFields c)
    {
        var name = c.String("name", 100, required: true);
        var role = c.String("role", 100, required: false);
        var email = Email(c, required: false);
        var phone = c.String("phone", 30, required: false, PhonePattern(), "must be a telephone number: digits, spaces, +, ( ) and -");
        if (email is null && phone is null && !c.Failed("email") && !c.Failed("phone")) c.Fail("email", "a contact needs an email or a phone");
        return name is null ? null : new Contact(name, role, email, phone);
    }

    private static EscalationContact? ReadEscalationContact(JsonFields c)
    {
        var email = Email(c, required: true);
        var types = c.Strings("recipientTypes", required: false, maxItems: 20, maxLength: 40, value => value, AnyText(), "must be an organisation type");
        if (types is not null)
        {
            foreach (var type in types.Where(t => !OrganisationTypes.All.Contains(t) || t is OrganisationTypes.PoliceForce or OrganisationTypes.PartnershipLead))
                c.Fail("recipientTypes", $"{type} is not a recipient type; use: " + string.Join(", ", OrganisationTypes.All.Where(t => t is not (OrganisationTypes.PoliceForce or OrganisationTypes.PartnershipLead))));
        }
        return email is null || c.Failed("recipientTypes") ? null : new EscalationContact(email, types ?? []);
    }

    private static ChannelSettings? ReadChannel(JsonFields c)
    {
        var kind = c.String("kind", 20, required: true);
        var url = c.String("url", 2000, required: false);
        var email = Email(c, required: false);
        if (kind is not null && kind is not ("webhook" or "email" or "inbox")) c.Fail("kind", "must be one of: webhook, email, inbox");
        if (kind == "webhook" && url is null && !c.Failed("url")) c.Fail("url", "is required for a webhook channel");
        if (kind is "email" or "inbox" && url is not null) c.Fail("url", "is only for webhook channels");
        if (kind == "email" && email is null && !c.Failed("email")) c.Fail("email", "is required for an email channel");
        if (kind is "webhook" or "inbox" && email is not null) c.Fail("email", "is only for email channels");
        if (url is not null && !c.Failed("url") && !IsAllowedWebhookUrl(url))
            c.Fail("url", "must be an absolute https URL (http only for localhost)");
        return c.Failed("kind") || c.Failed("url") || c.Failed("email") ? null : new ChannelSettings(kind!, url, email);
    }

    /// <summary>An <c>email</c> field: an address the hub's sender can send to (<see cref="EmailAddresses"/>), or it is named.</summary>
    private static string? Email(JsonFields c, bool required)
    {
        var email = c.String("email", 254, required);
        if (email is null || EmailAddresses.IsSendable(email)) return email;
        c.Fail("email", EmailAddresses.Reason);
        return null;
    }

    /// <summary>Webhooks carry safeguarding information: https only, except a local test receiver.</summary>
    public static bool IsAllowedWebhookUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo)) return false;
        if (uri.Scheme == Uri.UriSchemeHttps) return true;
        return uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase));
    }

    private static Coverage? ReadCoverage(JsonFields c)
    {
        var gps = c.Strings("gpPracticeOdsCodes", required: false, maxItems: 500, maxLength: 6, Upper, GpPracticePattern(),
            "must be a GP practice ODS code: a letter and five digits, e.g. A99001");
        var districts = c.Strings("postcodeDistricts", required: false, maxItems: 500, maxLength: 4, Upper, PostcodeDistrictPattern(),
            "must be a postcode district (the outward code), e.g. DH1");
        return new Coverage(gps ?? [], districts ?? []);
    }

    private static string Upper(string value) => value.ToUpperInvariant();

    private static string? UpperOrNull(string? value) => value?.ToUpperInvariant();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")] private static partial Regex IdPattern();
    [GeneratedRegex("^[A-Z0-9]{2,10}$")] private static partial Regex ForceCodePattern();
    [GeneratedRegex(@"^[0-9]{3}$")] private static partial Regex LaCodePattern();
    [GeneratedRegex(@"^.+$")] private static partial Regex AnyText();
    [GeneratedRegex(@"^[0-9]{6}$")] private static partial Regex SchoolUrnPattern();
    [GeneratedRegex(@"^(EY)?[0-9]{6}$", RegexOptions.IgnoreCase)] private static partial Regex EarlyYearsUrnPattern();
    [GeneratedRegex("^[A-Z0-9]{3,8}$")] private static partial Regex OdsCodePattern();
    [GeneratedRegex(@"^[A-Z][0-9]{5}$")] private static partial Regex GpPracticePattern();
    [GeneratedRegex(@"^[A-Z]{1,2}[0-9][A-Z0-9]?$")] private static partial Regex PostcodeDistrictPattern();
    [GeneratedRegex(@"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")] private static partial Regex PostcodePattern();
    [GeneratedRegex(@"^\+?[0-9\x20()-]{6,30}$")] private static partial Regex PhonePattern();
}
