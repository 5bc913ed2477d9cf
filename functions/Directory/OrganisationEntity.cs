using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Organisations;

/// <summary>
/// How an <see cref="Organisation"/> is laid out in table <c>Organisations</c> (PK = id, RK = <c>profile</c>):
/// scalar fields as columns, contacts/channel/coverage as JSON strings, plus bookkeeping columns the model
/// does not carry (who created it, who deactivated it, the GIAS type) that every rewrite keeps.
/// </summary>
public static class OrganisationEntity
{
    public const string ProfileRow = "profile";

    /// <summary>Where an organisation came from: an administrator, the GIAS import, the ODS (GP practice) import or the demo seed.</summary>
    public const string SourceAdmin = "admin";
    public const string SourceGias = "gias";
    public const string SourceOds = "ods";
    public const string SourceDemo = "demo";

    public const string Source = "Source";
    public const string CreatedAt = "CreatedAt";
    public const string UpdatedAt = "UpdatedAt";
    public const string DeactivatedBy = "DeactivatedBy";
    public const string GiasType = "GiasType";
    public const string GiasTypeGroup = "GiasTypeGroup";

    /// <summary>Columns that are not part of the model and survive every rewrite of the row.</summary>
    private static readonly string[] Bookkeeping = [Source, CreatedAt, DeactivatedBy, GiasType, GiasTypeGroup];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The row for <paramref name="organisation"/>, keeping the bookkeeping columns of <paramref name="existing"/>
    /// (and its ETag). Absent model fields are absent columns, so a Replace write clears them.
    /// </summary>
    public static TableEntity ToEntity(Organisation organisation, TableEntity? existing, DateTimeOffset now)
    {
        var e = new TableEntity(organisation.Id, ProfileRow);
        if (existing is not null)
        {
            e.ETag = existing.ETag;
            foreach (var column in Bookkeeping)
            {
                if (existing.TryGetValue(column, out var value) && value is not null) e[column] = value;
            }
        }
        if (!e.ContainsKey(CreatedAt)) e[CreatedAt] = now;
        e[UpdatedAt] = now;
        e["Type"] = organisation.Type;
        e["Name"] = organisation.Name;
        e["Active"] = organisation.Active;
        Set(e, "Urn", organisation.Urn);
        Set(e, "OdsCode", organisation.OdsCode);
        Set(e, "LaCode", organisation.LaCode);
        Set(e, "ForceCode", organisation.ForceCode);
        Set(e, "Phase", organisation.Phase);
        if (organisation.StatutoryLowAge is { } low) e["StatutoryLowAge"] = low;
        if (organisation.StatutoryHighAge is { } high) e["StatutoryHighAge"] = high;
        Set(e, "Postcode", organisation.Postcode);
        if (organisation.Contacts is { Count: > 0 } contacts) e["Contacts"] = JsonSerializer.Serialize(contacts, Json);
        if (organisation.Channel is { } channel) e["Channel"] = JsonSerializer.Serialize(channel, Json);
        if (organisation.SchoolDayStart is { } start) e["SchoolDayStart"] = start.ToString("HH:mm", CultureInfo.InvariantCulture);
        Set(e, "CalendarOverride", organisation.CalendarOverride);
        if (organisation.Coverage is { } coverage) e["Coverage"] = JsonSerializer.Serialize(coverage, Json);
        if (organisation.LaCodes is { Count: > 0 } las) e["LaCodes"] = string.Join(',', las);
        if (organisation.EscalationContacts is { } escalation) e["EscalationContacts"] = JsonSerializer.Serialize(escalation, Json);
        return e;
    }

    public static Organisation ToOrganisation(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("Type"),
        e.GetString("Name"),
        e.GetBoolean("Active") ?? true,
        Urn: Text(e, "Urn"),
        OdsCode: Text(e, "OdsCode"),
        LaCode: Text(e, "LaCode"),
        ForceCode: Text(e, "ForceCode"),
        Phase: Text(e, "Phase"),
        StatutoryLowAge: e.GetInt32("StatutoryLowAge"),
        StatutoryHighAge: e.GetInt32("StatutoryHighAge"),
        Postcode: Text(e, "Postcode"),
        Contacts: Text(e, "Contacts") is { } contacts ? JsonSerializer.Deserialize<List<Contact>>(contacts, Json) : [],
        Channel: Text(e, "Channel") is { } channel ? JsonSerializer.Deserialize<ChannelSettings>(channel, Json) : null,
        SchoolDayStart: Text(e, "SchoolDayStart") is { } start ? TimeOnly.ParseExact(start, "HH:mm", CultureInfo.InvariantCulture) : null,
        CalendarOverride: Text(e, "CalendarOverride"),
        Coverage: Text(e, "Coverage") is { } coverage ? JsonSerializer.Deserialize<Coverage>(coverage, Json) : null,
        LaCodes: Text(e, "LaCodes") is { } las ? las.Split(',') : null,
        EscalationContacts: Text(e, "EscalationContacts") is { } escalation ? JsonSerializer.Deserialize<List<EscalationContact>>(escalation, Json) : null);

    private static void Set(TableEntity e, string column, string? value)
    {
        if (!string.IsNullOrEmpty(value)) e[column] = value;
    }

    private static string? Text(TableEntity e, string column) => e.GetString(column) is { Length: > 0 } value ? value : null;
}
