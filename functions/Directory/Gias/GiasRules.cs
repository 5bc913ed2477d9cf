using System.Globalization;
using System.Text.RegularExpressions;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Organisations.Gias;

/// <summary>The columns of the GIAS extract the import reads (by header name); every other column is ignored.</summary>
public static class GiasColumns
{
    public const string Urn = "URN";
    public const string LaCode = "LA (code)";
    public const string Name = "EstablishmentName";
    public const string Status = "EstablishmentStatus (name)";
    public const string Type = "TypeOfEstablishment (name)";
    public const string TypeGroup = "EstablishmentTypeGroup (name)";
    public const string Phase = "PhaseOfEducation (name)";
    public const string LowAge = "StatutoryLowAge";
    public const string HighAge = "StatutoryHighAge";
    public const string Postcode = "Postcode";
    public const string CloseDate = "CloseDate";

    public static readonly string[] All = [Urn, LaCode, Name, Status, Type, TypeGroup, Phase, LowAge, HighAge, Postcode, CloseDate];
}

/// <summary>One data row of the extract: its record number (the header is row 1) and the needed columns, as text.</summary>
public sealed record GiasRow(int Row, IReadOnlyDictionary<string, string?> Fields)
{
    public string? this[string column] => Fields.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

/// <summary>What one row means for the directory.</summary>
public abstract record GiasDecision(int Row)
{
    /// <summary>An open school or college the hub notifies: upsert it.</summary>
    public sealed record Open(int Row, GiasSchool School) : GiasDecision(Row);

    /// <summary>A closed establishment: skipped, or marked inactive if the directory has it active.</summary>
    public sealed record Closed(int Row, string Urn) : GiasDecision(Row);

    public sealed record Skip(int Row, string Reason) : GiasDecision(Row);

    public sealed record Error(int Row, string Field, string Reason) : GiasDecision(Row);
}

/// <summary>The fields GIAS owns for a school. Everything else on the organisation belongs to administrators.</summary>
public sealed record GiasSchool(
    string Urn, string LaCode, string Name, string? Phase, int? LowAge, int? HighAge, string? Postcode, string Type, string TypeGroup)
{
    public string Id => GiasRules.SchoolId(Urn);
}

/// <summary>
/// Which GIAS establishments become recipients, as pure decisions over one row.
/// <para>Imported: establishment type groups <c>Local authority maintained schools</c> (incl. pupil
/// referral units and LA nursery schools), <c>Academies</c>, <c>Free Schools</c>, <c>Independent schools</c>,
/// <c>Special schools</c> and <c>Colleges</c> (FE colleges, sixth-form colleges and centres, special post-16
/// institutions) — where children of compulsory school age and 16–18 learners are taught in England.</para>
/// <para>Skipped: <c>Universities</c>, <c>Welsh schools</c> (Wales runs its own arrangements), <c>Other types</c>
/// (secure units, service children's education overseas, offshore and British schools overseas,
/// miscellaneous), <c>Online provider</c>, and any group GIAS adds later until someone decides.</para>
/// <para>Statuses: <c>Open</c> and <c>Open, but proposed to close</c> are open — unless their CloseDate has
/// passed, then closed; <c>Closed</c> is closed; <c>Proposed to open</c> is skipped (no pupils yet).</para>
/// </summary>
public static partial class GiasRules
{
    public const string SkipClosed = "closed";
    public const string SkipClosedWithDeliveries = "closed, kept active: has deliveries";
    public const string SkipProposedToOpen = "proposed to open";
    public const string SkipTypeGroupPrefix = "not a school or college the hub notifies: ";

    public static readonly IReadOnlySet<string> ImportedTypeGroups = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Local authority maintained schools", "Academies", "Free Schools", "Independent schools", "Special schools", "Colleges",
    };

    public static string SchoolId(string urn) => "school-" + urn;

    public static GiasDecision Decide(GiasRow row, DateOnly today)
    {
        var urn = row[GiasColumns.Urn];
        if (urn is null || !UrnPattern().IsMatch(urn)) return new GiasDecision.Error(row.Row, GiasColumns.Urn, "must be a six-digit URN");
        if (DemoSpace.IsDemoUrn(urn)) return new GiasDecision.Error(row.Row, GiasColumns.Urn, "is in the range reserved for demo organisations (999000-999999)");

        var status = row[GiasColumns.Status];
        bool open;
        switch (status)
        {
            case "Open" or "Open, but proposed to close": open = true; break;
            case "Closed": open = false; break;
            case "Proposed to open": return new GiasDecision.Skip(row.Row, SkipProposedToOpen);
            default: return new GiasDecision.Error(row.Row, GiasColumns.Status, "must be Open, Open but proposed to close, Closed or Proposed to open");
        }

        DateOnly? closeDate = null;
        if (row[GiasColumns.CloseDate] is { } closeText)
        {
            if (!DateOnly.TryParseExact(closeText, ["dd-MM-yyyy", "dd/MM/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                return new GiasDecision.Error(row.Row, GiasColumns.CloseDate, "must be a date dd-MM-yyyy");
            closeDate = parsed;
        }
        if (!open || closeDate <= today) return new GiasDecision.Closed(row.Row, urn);

        var group = row[GiasColumns.TypeGroup];
        if (group is null) return new GiasDecision.Error(row.Row, GiasColumns.TypeGroup, "is required");
        if (!ImportedTypeGroups.Contains(group)) return new GiasDecision.Skip(row.Row, SkipTypeGroupPrefix + Truncate(group, 60));

        var name = row[GiasColumns.Name];
        if (name is null) return new GiasDecision.Error(row.Row, GiasColumns.Name, "is required");
        if (name.Length > 200) return new GiasDecision.Error(row.Row, GiasColumns.Name, "must be at most 200 characters");
        var la = row[GiasColumns.LaCode];
        if (la is null || !LaPattern().IsMatch(la)) return new GiasDecision.Error(row.Row, GiasColumns.LaCode, "must be a three-digit LA code");
        if (DemoSpace.IsDemoLa(la)) return new GiasDecision.Error(row.Row, GiasColumns.LaCode, "is reserved for demo organisations");
        if (!TryAge(row[GiasColumns.LowAge], out var low)) return new GiasDecision.Error(row.Row, GiasColumns.LowAge, "must be a whole number from 0 to 99");
        if (!TryAge(row[GiasColumns.HighAge], out var high)) return new GiasDecision.Error(row.Row, GiasColumns.HighAge, "must be a whole number from 0 to 99");
        var postcode = row[GiasColumns.Postcode]?.ToUpperInvariant();
        if (postcode is { Length: > 8 }) return new GiasDecision.Error(row.Row, GiasColumns.Postcode, "must be at most 8 characters");
        var phase = row[GiasColumns.Phase] is { } p && p != "Not applicable" ? Truncate(p, 60) : null;

        return new GiasDecision.Open(row.Row, new GiasSchool(urn, la, name, phase, low, high, postcode,
            Truncate(row[GiasColumns.Type] ?? "", 100), group));
    }

    /// <summary>
    /// The organisation after applying GIAS's fields to what the directory holds: only GIAS-owned fields
    /// change; contacts, channel, school day start and calendar stay as administrators set them. A school an
    /// administrator deactivated stays inactive.
    /// </summary>
    public static Organisation Apply(GiasSchool school, Organisation? existing, bool deactivatedByAdmin) =>
        existing is null
            ? new Organisation(school.Id, OrganisationTypes.School, school.Name, Active: true, Urn: school.Urn, LaCode: school.LaCode,
                Phase: school.Phase, StatutoryLowAge: school.LowAge, StatutoryHighAge: school.HighAge, Postcode: school.Postcode,
                Contacts: [], SchoolDayStart: OrganisationValidator.DefaultSchoolDayStart)
            : existing with
            {
                Type = OrganisationTypes.School, Name = school.Name, Active = !deactivatedByAdmin, Urn = school.Urn, LaCode = school.LaCode,
                Phase = school.Phase, StatutoryLowAge = school.LowAge, StatutoryHighAge = school.HighAge, Postcode = school.Postcode,
                SchoolDayStart = existing.SchoolDayStart ?? OrganisationValidator.DefaultSchoolDayStart,
            };

    /// <summary>Whether the GIAS-owned fields (and the active flag) of two versions differ.</summary>
    public static bool GiasFieldsDiffer(Organisation a, Organisation b) =>
        a.Type != b.Type || a.Name != b.Name || a.Active != b.Active || a.Urn != b.Urn || a.LaCode != b.LaCode || a.Phase != b.Phase ||
        a.StatutoryLowAge != b.StatutoryLowAge || a.StatutoryHighAge != b.StatutoryHighAge || a.Postcode != b.Postcode ||
        a.SchoolDayStart != b.SchoolDayStart;

    private static bool TryAge(string? text, out int? age)
    {
        age = null;
        if (text is null) return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 99) return false;
        age = value;
        return true;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [GeneratedRegex(@"^[0-9]{6}$")] private static partial Regex UrnPattern();
    [GeneratedRegex(@"^[0-9]{3}$")] private static partial Regex LaPattern();
}
