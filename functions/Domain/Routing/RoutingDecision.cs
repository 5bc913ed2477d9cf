using NotifyHub.Domain.Directory;

namespace NotifyHub.Domain.Routing;

/// <summary>
/// The outcome of routing one incident: who gets a notification and why, and which expected shares
/// could not be routed and why (domain.md, "Who gets what").
/// </summary>
/// <param name="Hops">
/// The shares that go through the LA front door (docs/routing.md), and via which relay: decided with the rest, from the LA's
/// paths as they stood, so a retried routing takes the same path. Null in a decision recorded before paths existed: all direct.
/// </param>
public sealed record RoutingDecision(IReadOnlyList<PlannedDelivery> Deliveries, IReadOnlyList<UnroutedShare> Unrouted,
    IReadOnlyList<FrontDoor.RelayHop>? Hops = null)
{
    /// <summary>The hop of the share to <paramref name="recipientId"/>, and its number among the incident's (from 1); null: it goes direct.</summary>
    public (FrontDoor.RelayHop Hop, int Number)? HopOf(string recipientId)
    {
        for (var i = 0; i < (Hops?.Count ?? 0); i++)
        {
            if (Hops![i].RecipientId == recipientId) return (Hops[i], i + 1);
        }
        return null;
    }
}

/// <summary>One notification to one organisation for one incident.</summary>
/// <param name="RecipientType">The organisation type the (first) rule looked for; see <see cref="OrganisationTypes"/>.</param>
/// <param name="Rule">
/// Every rule that chose this organisation, in routing-table order, joined with
/// <see cref="RoutingRules.Separator"/> ('+'), e.g. <c>operation-encompass+nursery-class</c>. A single
/// string keeps the delivery row flat; <see cref="Rules"/> splits it back.
/// </param>
/// <param name="ChildIndexes">The children this delivery concerns, as ascending indexes into the incident's children.</param>
/// <param name="AdultIndexes">The adults this delivery concerns, as ascending indexes into the incident's adults.</param>
public sealed record PlannedDelivery(
    Organisation Recipient,
    string RecipientType,
    string Rule,
    IReadOnlyList<int> ChildIndexes,
    IReadOnlyList<int> AdultIndexes)
{
    public IReadOnlyList<string> Rules => Rule.Split(RoutingRules.Separator);
}

/// <summary>
/// A share the routing table expected but could not make. It counts as missing ("unrouted") until
/// someone resolves it. Child and adult indexes are null when the share concerns the whole incident
/// (MASH, MARAC).
/// </summary>
/// <param name="Rule">The rule whose recipient could not be resolved.</param>
/// <param name="RecipientType">The organisation type that rule expected.</param>
/// <param name="Reason">A code from <see cref="UnroutedReasons"/>.</param>
public sealed record UnroutedShare(string Rule, string RecipientType, int? ChildIndex, int? AdultIndex, string Reason)
{
    public string Description => UnroutedReasons.Describe(Reason);

    /// <summary>The share's key within its incident: <c>{rule}|{type}|c{child}|a{adult}</c>.</summary>
    public string Key => $"{Rule}|{RecipientType}|c{ChildIndex}|a{AdultIndex}";
}

/// <summary>
/// A routing decision as recorded on the incident when routing claims it: once recorded, a retried
/// routing reuses it, so the decision that stands is the first one even if the directory changed since.
/// </summary>
public static class RoutingDecisionJson
{
    private static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static byte[] Serialize(RoutingDecision decision) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(decision, Options);

    public static RoutingDecision Deserialize(byte[] json) =>
        System.Text.Json.JsonSerializer.Deserialize<RoutingDecision>(json, Options) ?? throw new InvalidDataException("A recorded routing decision is empty.");
}
