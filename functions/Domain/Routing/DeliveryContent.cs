using System.Text.Json;
using System.Text.Json.Serialization;
using NotifyHub.Domain.Incidents;

namespace NotifyHub.Domain.Routing;

/// <summary>
/// What one recipient is told about one incident, after <see cref="Projection"/> has removed every
/// field its recipient type may not see. A field it may not see is null and is left out of the JSON.
/// </summary>
public sealed record DeliveryContent
{
    public required string RecipientType { get; init; }
    /// <summary>The rule(s) that chose the recipient; null in the partnership-lead view.</summary>
    public string? Rule { get; init; }
    public string? ForceCode { get; init; }
    public string? IncidentReference { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    public DateTimeOffset? ReportedAt { get; init; }
    public DateTimeOffset? AttendedAt { get; init; }
    public RiskLevel? RiskLevel { get; init; }
    public string? LaCode { get; init; }
    public string? PostcodeDistrict { get; init; }
    public string? Summary { get; init; }
    /// <summary>Whether any adult victim in the incident is pregnant.</summary>
    public bool? VictimPregnant { get; init; }
    public OfficerContact? PoliceContact { get; init; }
    /// <summary>Cumulative risk: earlier notifications the hub holds for the child(ren) in the last 12 months.</summary>
    public int? PriorIncidentsLast12Months { get; init; }
    public int? ChildCount { get; init; }
    public int? ChildrenPresentCount { get; init; }
    public int? AdultCount { get; init; }
    public IReadOnlyList<ChildContent>? Children { get; init; }
    public IReadOnlyList<AdultContent>? Adults { get; init; }

    /// <summary>A share sent through the LA front door: which relay it came through, whether it was reviewed, and the relay's note to the recipient.</summary>
    public FrontDoorNote? FrontDoor { get; init; }

    /// <summary>The front door's review of a held share (its relay's content only): whose share it is, what they would be sent, and by when to release it.</summary>
    public FrontDoorReview? Review { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, RoutingJsonContext.Default.DeliveryContent);
}

public sealed record ChildContent
{
    /// <summary>Earlier incidents the hub holds for this child in the 12 months before this one.</summary>
    public int? PriorIncidentsLast12Months { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public DateOnly? ExpectedDueDate { get; init; }
    public string? NhsNumber { get; init; }
    public string? PolicePersonReference { get; init; }
    public bool? Present { get; init; }
    public bool? WelfareCheckDone { get; init; }
    public string? WhatChildSaid { get; init; }
    public string? Demeanour { get; init; }
    public string? SchoolUrn { get; init; }
    public bool? ElectivelyHomeEducated { get; init; }
    public string? EarlyYearsSettingUrn { get; init; }
    public string? GpPracticeOdsCode { get; init; }
    public bool? KnownToYos { get; init; }
}

public sealed record AdultContent
{
    public AdultRole? Role { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public string? PolicePersonReference { get; init; }
    public bool? Pregnant { get; init; }
    public ProbationSupervision? Probation { get; init; }
    public bool? KnownToYos { get; init; }
}

/// <summary>
/// What a recipient is told of a share's hop through the LA front door. <paramref name="Reviewed"/> false: the relay did not
/// review it in time and the hub sent it on as the area chose; <paramref name="Note"/>: what the relay added for the recipient.
/// </summary>
public sealed record FrontDoorNote(string Via, string ViaName, bool Reviewed, string? Note = null);

/// <summary>
/// What a relay reviews: the share's recipient, its due time and the relay's own (release by then), whether the area sends it on
/// automatically when late, which of the incident's children and adults it is about, and the fields the recipient would be sent
/// (<see cref="ContentFields"/>) — those it may take out when it releases.
/// </summary>
public sealed record FrontDoorReview(string RecipientId, string RecipientName, string RecipientType, DateTimeOffset? RecipientDueAt, DateTimeOffset ReleaseDueAt,
    bool AutoReleaseWhenLate, IReadOnlyList<int> Children, IReadOnlyList<int> Adults, IReadOnlyList<string> RecipientFields);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeliveryContent))]
internal sealed partial class RoutingJsonContext : JsonSerializerContext;
