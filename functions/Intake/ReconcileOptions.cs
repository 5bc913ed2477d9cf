using System.ComponentModel.DataAnnotations;

namespace NotifyHub.Incidents;

/// <summary>Configuration section <c>Reconcile</c>: when an accepted incident that is not routed is queued again, and when it is given up on.</summary>
public sealed class ReconcileOptions
{
    public const string Section = "Reconcile";

    /// <summary>
    /// How long after it was last queued an incident that is still not routed counts as overdue and is queued
    /// again. Longer than routing normally takes, retries included (5 attempts, seconds apart).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan After { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times an overdue incident is queued again before it is marked stuck for an operator.</summary>
    [Range(0, 100)]
    public int MaxRequeues { get; set; } = 3;
}
