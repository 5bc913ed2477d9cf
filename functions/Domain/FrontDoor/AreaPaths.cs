using System.Text.Json;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Validation;
using T = NotifyHub.Domain.Directory.OrganisationTypes;

namespace NotifyHub.Domain.FrontDoor;

/// <summary>
/// How an LA's shares of one recipient type reach their recipient (docs/routing.md, "Paths through the LA front door"):
/// directly (no path: the default), or via a relay organisation — the LA's MASH or its education safeguarding team — that
/// reviews each share and releases it (or withholds it) before the recipient's due time. <paramref name="AutoReleaseWhenLate"/>:
/// a share the relay has not released by its release due time is sent on to the recipient with a note that it was not reviewed.
/// </summary>
public sealed record AreaPath(string RecipientType, string Via, bool AutoReleaseWhenLate);

/// <summary>One share routing sends through the front door: to whom (its delivery key), via which relay, and whether it is released automatically when the relay is late.</summary>
public sealed record RelayHop(string RecipientId, string ViaId, string ViaType, string ViaName, bool AutoReleaseWhenLate);

public static class AreaPaths
{
    /// <summary>The word for a recipient type that goes straight to its recipient (the default; also accepted in a path).</summary>
    public const string Direct = "direct";

    public const int MaxPaths = 20;

    /// <summary>The organisation types that may review and release an LA's shares: its front door.</summary>
    public static readonly IReadOnlyList<string> RelayTypes = [T.Mash, T.LaEducationSafeguardingTeam];

    /// <summary>The recipient types whose shares may go through a relay: every type routing shares incidents with, but the relays themselves.</summary>
    public static readonly IReadOnlyList<string> RelayableTypes =
        [T.School, T.EarlyYearsSetting, T.HealthVisitingTeam, T.SchoolNursingTeam, T.MidwiferyTeam, T.NpsSpoc, T.CrcSpoc, T.YosTeam, T.MaracCoordinator];

    /// <summary>
    /// Reads <c>{"paths":[{"recipientType","via","autoReleaseWhenLate"}]}</c>: each relayable recipient type at most once;
    /// <c>via</c> an organisation id, or <c>direct</c> (the same as leaving the type out). Checks of the relay against the
    /// directory are <see cref="RelayProblem"/>'s.
    /// </summary>
    public static Validated<IReadOnlyList<AreaPath>> Validate(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var paths = f.Array("paths", required: true, minItems: 0, maxItems: MaxPaths, item =>
        {
            var type = item.String("recipientType", 60, required: true);
            if (type is not null && RelayableTypes.Contains(type) && !seen.Add(type))
                item.Fail("recipientType", $"names {type} a second time: give each type once");
            var via = item.String("via", 100, required: true);
            var auto = item.Boolean("autoReleaseWhenLate", required: false) ?? false;
            item.RefuseUnknownFields();
            if (type is not null && !RelayableTypes.Contains(type))
                item.Fail("recipientType", $"must be one of {string.Join(", ", RelayableTypes)} (a relay's own shares are not relayed)");
            return type is null || via is null || item.Failed("recipientType") ? null : new AreaPath(type, via.Trim(), auto);
        });
        f.RefuseUnknownFields();
        return errors.Any || paths is null ? new(null, errors) : new(paths.Where(p => p.Via != Direct).ToList(), errors);
    }

    /// <summary>Why <paramref name="relay"/> (null: no such organisation) cannot relay LA <paramref name="la"/>'s shares; null when it can.</summary>
    public static string? RelayProblem(Organisation? relay, string la)
    {
        if (relay is null) return "is not an organisation in the directory";
        if (!RelayTypes.Contains(relay.Type)) return $"is a {relay.Type}; a relay is a {string.Join(" or ", RelayTypes)}";
        if (!relay.Active) return "is deactivated";
        if (!Covers(relay, la)) return $"does not cover LA {la} (its laCode is {relay.LaCode ?? "not set"})";
        return null;
    }

    private static bool Covers(Organisation o, string la) => o.LaCode == la || (o.LaCodes?.Contains(la) ?? false);

    /// <summary>
    /// The hops of a routing decision: each share whose recipient type the LA sends through a relay, when that relay is still
    /// active and covers the LA (one that is not is passed by: the share goes direct rather than nowhere). Decided once, with the
    /// routing decision, so a retried routing keeps the path it first took.
    /// </summary>
    public static IReadOnlyList<RelayHop> Hops(IEnumerable<(string RecipientId, string RecipientType)> shares, string la, IReadOnlyList<AreaPath> paths,
        IReadOnlyDictionary<string, Organisation> relays)
    {
        var hops = new List<RelayHop>();
        foreach (var (recipientId, type) in shares)
        {
            if (paths.FirstOrDefault(p => p.RecipientType == type) is not { } path) continue;
            if (!relays.TryGetValue(path.Via, out var relay) || RelayProblem(relay, la) is not null || relay.Id == recipientId) continue;
            hops.Add(new RelayHop(recipientId, relay.Id, relay.Type, relay.Name, path.AutoReleaseWhenLate));
        }
        return hops;
    }
}
