using System.Text.Json.Serialization;
namespace NotifyHub.Domain.Incidents;

/// <summary>A domestic abuse incident as a police force submits it, after validation.</summary>
public sealed record Incident(
    string ForceCode,
    string IncidentReference,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReportedAt,
    DateTimeOffset? AttendedAt,
    RiskLevel RiskLevel,
    IncidentLocation Location,
    string Summary,
    OfficerContact Officer,
    IReadOnlyList<Child> Children,
    IReadOnlyList<Adult> Adults);

/// <summary>Written in JSON in lower case, as the incident API takes and reports it.</summary>
public enum RiskLevel { [JsonStringEnumMemberName("standard")] Standard, [JsonStringEnumMemberName("medium")] Medium, [JsonStringEnumMemberName("high")] High }

public enum AdultRole { [JsonStringEnumMemberName("victim")] Victim, [JsonStringEnumMemberName("perpetrator")] Perpetrator, [JsonStringEnumMemberName("other")] Other }

/// <summary>NPS and CRC stay distinct everywhere (action plan 2.12).</summary>
public enum ProbationProvider { [JsonStringEnumMemberName("NPS")] Nps, [JsonStringEnumMemberName("CRC")] Crc }

/// <param name="LaCode">DfE three-digit local authority code, e.g. 840.</param>
/// <param name="PostcodeDistrict">Outward code only, e.g. DH1: never the full address.</param>
public sealed record IncidentLocation(string LaCode, string PostcodeDistrict);

public sealed record OfficerContact(string Name, string? CollarNumber, string? Phone, string? Email);

/// <summary>
/// A child living at or present at the incident. An unborn child has an expected due date and no
/// date of birth; names are then optional.
/// </summary>
public sealed record Child(
    string PolicePersonReference,
    string? NhsNumber,
    string? GivenName,
    string? FamilyName,
    DateOnly? DateOfBirth,
    DateOnly? ExpectedDueDate,
    bool Present,
    bool WelfareCheckDone,
    string? SchoolUrn,
    bool ElectivelyHomeEducated,
    string? EarlyYearsSettingUrn,
    string? GpPracticeOdsCode,
    bool KnownToYos,
    string? WhatChildSaid,
    string? Demeanour)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsUnborn => DateOfBirth is null && ExpectedDueDate is not null;
}

public sealed record Adult(
    AdultRole Role,
    string? PolicePersonReference,
    string GivenName,
    string FamilyName,
    DateOnly? DateOfBirth,
    bool Pregnant,
    ProbationSupervision? Probation,
    bool KnownToYos);

/// <param name="Region">The case-holding probation region.</param>
public sealed record ProbationSupervision(ProbationProvider Provider, string Region, string? Office);
