using NotifyHub.Audit;
using NotifyHub.Auth;
using System.Globalization;
using Azure;
using NotifyHub.Domain.Directory;
using NotifyHub.Hosting;

namespace NotifyHub.Organisations;

/// <summary>
/// An organisation as the admin API shows it: exactly the fields an administrator may send, so that what
/// GET answers can be PUT back unchanged. The row's ETag travels in the <c>ETag</c> header.
/// </summary>
public sealed record OrganisationResource(
    string Id, string Type, string Name, bool Active,
    string? Urn, string? OdsCode, string? LaCode, string? ForceCode,
    string? Phase, int? StatutoryLowAge, int? StatutoryHighAge, string? Postcode,
    IReadOnlyList<Contact> Contacts, ChannelSettings? Channel, string? SchoolDayStart, string? CalendarOverride, Coverage? Coverage,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? LaCodes = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<EscalationContact>? EscalationContacts = null)
{
    public static OrganisationResource Of(Organisation o) => new(
        o.Id, o.Type, o.Name, o.Active, o.Urn, o.OdsCode, o.LaCode, o.ForceCode, o.Phase, o.StatutoryLowAge, o.StatutoryHighAge,
        o.Postcode, o.Contacts ?? [], o.Channel, o.SchoolDayStart?.ToString("HH:mm", CultureInfo.InvariantCulture), o.CalendarOverride, o.Coverage,
        o.LaCodes, o.EscalationContacts);
}

public sealed record OrganisationList(IReadOnlyList<OrganisationResource> Items, string? ContinuationToken);

/// <summary>The HTTP edges the directory's admin functions share: ETags in, ETags out, save outcomes as answers.</summary>
public static class OrganisationApi
{
    public static string Location(string id) => $"/api/admin/organisations/{Uri.EscapeDataString(id)}";

    /// <summary>The If-Match header as an ETag; null when absent.</summary>
    public static ETag? IfMatch(HttpRequest request) =>
        request.Headers.IfMatch.Count == 1 && !string.IsNullOrWhiteSpace(request.Headers.IfMatch[0]) ? new ETag(request.Headers.IfMatch[0]!.Trim()) : null;

    public static IResult Ok(HttpContext context, StoredOrganisation stored)
    {
        context.Response.Headers.ETag = stored.ETag.ToString();
        return TypedResults.Ok(OrganisationResource.Of(stored.Organisation));
    }

    public static IResult Created(HttpContext context, StoredOrganisation stored)
    {
        context.Response.Headers.ETag = stored.ETag.ToString();
        return TypedResults.Created(Location(stored.Organisation.Id), OrganisationResource.Of(stored.Organisation));
    }

    public static IResult ForceCodeTaken() =>
        Problems.FieldConflict("forceCode", "is already held by another organisation: each police force code belongs to one organisation");

    /// <summary>Records <paramref name="action"/> on organisation <paramref name="id"/> by the caller, when the write was saved.</summary>
    public static async Task AuditAsync(AuditTrail audit, HttpRequest request, string action, string id, SaveResult result)
    {
        if (result.Status == SaveStatus.Saved)
            await audit.RecordAsync(AuditActor.Of(request.HttpContext.Caller()), action, [id], null, request.HttpContext.RequestAborted);
    }

    /// <summary>The answer to an update: the organisation, or 404 / 412 as problem+json.</summary>
    public static IResult Answer(HttpContext context, string id, SaveResult result) => result.Status switch
    {
        SaveStatus.Saved => Ok(context, result.Stored!),
        SaveStatus.NotFound => Problems.NotFound($"There is no organisation with id {id}."),
        SaveStatus.ForceCodeTaken => ForceCodeTaken(),
        SaveStatus.ForceCodeLocked => Problems.FieldConflict("forceCode",
            $"cannot change: force {result.Stored!.Organisation.ForceCode} already has API keys or incidents, which are kept under its code"),
        _ => Problems.PreconditionFailed(
            $"Organisation {id} has changed since you read it (If-Match does not match its current ETag). Read it again and re-apply your change."),
    };
}
