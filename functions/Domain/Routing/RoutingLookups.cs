using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Incidents;

namespace NotifyHub.Domain.Routing;

/// <summary>What to load from the directory before <see cref="Router.Route"/> can decide.</summary>
public static class RoutingLookups
{
    /// <summary>
    /// Exactly the directory keys routing this incident may look up, fallbacks included, in the
    /// order the decision asks for them and without duplicates. Computed by running the decision
    /// against an empty directory and recording each key it asks for, so the two can never drift
    /// apart: with nothing found, every fallback is tried.
    /// </summary>
    public static IReadOnlyCollection<DirectoryKey> KeysFor(Incident incident)
    {
        var asked = new List<DirectoryKey>();
        var seen = new HashSet<DirectoryKey>();
        Router.Decide(incident, key =>
        {
            if (seen.Add(key)) asked.Add(key);
            return [];
        });
        return asked;
    }
}
