using System.ComponentModel.DataAnnotations;
using NotifyHub.Domain.Incidents;

namespace NotifyHub.Incidents;

/// <summary>Configuration section <c>Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest accepted incident body. An incident with 20 children and full notes is well under this.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How far a police system's clock may run ahead of the hub's.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public IncidentRules Rules => new() { ClockSkew = ClockSkew };
}
