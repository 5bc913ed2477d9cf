using System.Globalization;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Organisations.Ods;

/// <summary>A column of the ODS GP practice file, by its position (1-based, as NHS Digital numbers them).</summary>
public sealed record OdsColumn(int Number, string Name)
{
    /// <summary>How a report names the column: the file has no header, so its name and its position.</summary>
    public string Field => $"{Name} (column {Number})";
}

/// <summary>
/// The columns of <c>epraccur.csv</c> the import reads (the file has no header row: columns are known by position);
/// the other 23 are ignored.
/// </summary>
public static class OdsColumns
{
    /// <summary>How many fields every row of the file has.</summary>
    public const int Count = 27;

    public static readonly OdsColumn Code = new(1, "organisation code");
    public static readonly OdsColumn Name = new(2, "name");
    public static readonly OdsColumn Postcode = new(10, "postcode");
    public static readonly OdsColumn Status = new(13, "status code");
    public static readonly OdsColumn PrescribingSetting = new(26, "prescribing setting");
}

/// <summary>One row of the file: its row number (the first line is row 1) and its fields, as text.</summary>
public sealed record OdsRow(int Row, IReadOnlyList<string?> Fields)
{
    public string? this[OdsColumn column] =>
        column.Number <= Fields.Count && Fields[column.Number - 1] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

/// <summary>What one row means for the directory.</summary>
public abstract record OdsDecision(int Row)
{
    /// <summary>An active GP practice: create or update <c>gp-{code}</c>.</summary>
    public sealed record Import(int Row, OdsPractice Practice) : OdsDecision(Row);

    public sealed record Skip(int Row, string Reason) : OdsDecision(Row);

    public sealed record Error(int Row, string Field, string Reason) : OdsDecision(Row);
}

/// <summary>The fields the ODS file owns for a GP practice. Everything else on the organisation belongs to administrators.</summary>
public sealed record OdsPractice(string Code, string Name, string? Postcode)
{
    public string Id => DirectoryIndexKeys.IdForOdsCode(Code);
}

/// <summary>
/// Which rows of the NHS ODS GP practice file (<c>epraccur.csv</c>) become GP practices, as pure decisions over one row.
/// <para>Imported: status <c>A</c> (active) with prescribing setting <c>4</c> (GP practice). Skipped, counted by reason:
/// statuses <c>C</c> (closed), <c>D</c> (dormant) and <c>P</c> (proposed), and every other prescribing setting (out of
/// hours services, walk-in centres, prisons and the like, which police never give as a child's practice).</para>
/// <para>A practice that has closed since it was imported is left as it is (the import deactivates nothing): an
/// administrator decides.</para>
/// </summary>
public static class OdsRules
{
    public const int GpPracticeSetting = 4;
    public const string SkipClosed = "closed";
    public const string SkipDormant = "dormant";
    public const string SkipProposed = "proposed";
    public const string SkipSettingPrefix = "not a GP practice: prescribing setting ";

    public static OdsDecision Decide(OdsRow row)
    {
        string? skip;
        switch (row[OdsColumns.Status])
        {
            case "A": skip = null; break;
            case "C": skip = SkipClosed; break;
            case "D": skip = SkipDormant; break;
            case "P": skip = SkipProposed; break;
            default: return new OdsDecision.Error(row.Row, OdsColumns.Status.Field, "must be A (active), C (closed), D (dormant) or P (proposed)");
        }
        if (!int.TryParse(row[OdsColumns.PrescribingSetting], NumberStyles.None, CultureInfo.InvariantCulture, out var setting) || setting > 99)
            return new OdsDecision.Error(row.Row, OdsColumns.PrescribingSetting.Field, "must be a prescribing setting number (4 is a GP practice)");
        if (skip is not null) return new OdsDecision.Skip(row.Row, skip);
        if (setting != GpPracticeSetting) return new OdsDecision.Skip(row.Row, SkipSettingPrefix + setting.ToString(CultureInfo.InvariantCulture));

        var code = row[OdsColumns.Code]?.ToUpperInvariant();
        if (code is null || !OrganisationValidator.IsGpPracticeCode(code))
            return new OdsDecision.Error(row.Row, OdsColumns.Code.Field, "must be a GP practice code: a letter and five digits");
        if (DemoSpace.IsDemoGp(code))
            return new OdsDecision.Error(row.Row, OdsColumns.Code.Field, "is in the range reserved for demo organisations (codes starting Q)");
        var name = row[OdsColumns.Name];
        if (name is null) return new OdsDecision.Error(row.Row, OdsColumns.Name.Field, "is required");
        if (name.Length > 200) return new OdsDecision.Error(row.Row, OdsColumns.Name.Field, "must be at most 200 characters");
        var postcode = row[OdsColumns.Postcode]?.ToUpperInvariant();
        if (postcode is not null && !OrganisationValidator.IsPostcode(postcode))
            return new OdsDecision.Error(row.Row, OdsColumns.Postcode.Field, "must be a UK postcode");
        return new OdsDecision.Import(row.Row, new OdsPractice(code, name, postcode));
    }

    /// <summary>
    /// The organisation after applying the file's fields to what the directory holds: only the name, code and postcode
    /// change; channel, contacts, LA and the active flag stay as administrators set them.
    /// </summary>
    public static Organisation Apply(OdsPractice practice, Organisation? existing) =>
        existing is null
            ? new Organisation(practice.Id, OrganisationTypes.GpPractice, practice.Name, Active: true, OdsCode: practice.Code,
                Postcode: practice.Postcode, Contacts: [])
            : existing with { Name = practice.Name, OdsCode = practice.Code, Postcode = practice.Postcode };

    /// <summary>Whether the fields the file owns differ between two versions.</summary>
    public static bool OdsFieldsDiffer(Organisation a, Organisation b) =>
        a.Type != b.Type || a.Name != b.Name || a.OdsCode != b.OdsCode || a.Postcode != b.Postcode;
}
