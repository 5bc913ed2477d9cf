using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Organisations;
using NotifyHub.Storage;

namespace NotifyHub.Timeliness;

/// <summary>
/// Links to a partnership lead's dashboard and late list: the same signed, expiring link tokens as the email links, granting
/// <c>dashboard:{organisation id}</c> instead of a notification, so a lead opens its dashboard from the daily digest, and
/// its late list from an escalation alert, without an API key in the browser. A link stops working when it expires, when the lead is deactivated, or when the
/// lead's links are revoked: table <c>DashboardLinks</c> (partition = lead id, row <c>links</c>) holds the lead's current
/// nonce, which every link carries and a revocation replaces (<see cref="DashboardGrants"/>).
/// </summary>
public sealed class DashboardLinks(IOptions<DeliveryOptions> delivery, IOptions<TimelinessOptions> timeliness, DirectoryStore directory,
    TableServiceClient tables, TimeProvider time)
{
    private const string Row = "links";

    private TableClient Table => tables.GetTableClient(StorageNames.DashboardLinksTable);

    public async Task<(string Url, DateTimeOffset ExpiresAt)> CreateAsync(string organisationId, CancellationToken ct)
    {
        var expires = time.GetUtcNow() + timeliness.Value.DashboardLinkValidFor;
        var grant = DashboardGrants.For(organisationId, await CurrentNonceAsync(organisationId, ct), expires);
        var token = LinkToken.Create(delivery.Value.LinkSigningKeyBytes, grant);
        return (delivery.Value.PublicBaseUrl.TrimEnd('/') + "/api/dashboard/" + token, expires);
    }

    /// <summary>The lead's late list (<c>OpenLateShares</c>) under a dashboard link made by <see cref="CreateAsync"/>.</summary>
    public static string LateShares(string dashboardUrl) => dashboardUrl + "/late";

    /// <summary>The active partnership lead a verified link grants, or null (a notification's link, a revoked link, or a lead since deactivated).</summary>
    public async Task<Organisation?> LeadAsync(HttpContext context, CancellationToken ct)
    {
        var grant = context.Features.Get<LinkGrant>() ?? throw new InvalidOperationException("No link grant on this request.");
        if (DashboardGrants.LeadOf(grant) is not { } leadId || !DashboardGrants.IsCurrent(grant, await CurrentNonceAsync(leadId, ct))) return null;
        var lead = await directory.GetAsync(leadId, ct);
        return lead is { Active: true, Type: OrganisationTypes.PartnershipLead } ? lead : null;
    }

    /// <summary>Every link issued so far for <paramref name="leadId"/> stops working: the lead gets a new nonce. Answers when.</summary>
    public async Task<DateTimeOffset> RevokeAsync(string leadId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await Table.UpsertEntityAsync(new TableEntity(leadId, Row) { ["Nonce"] = LinkToken.NewNonce(), ["RevokedAt"] = now }, TableUpdateMode.Replace, ct);
        return now;
    }

    private async Task<string> CurrentNonceAsync(string leadId, CancellationToken ct)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(leadId, Row, ["Nonce"], ct);
        return row.HasValue && row.Value!.GetString("Nonce") is { Length: > 0 } nonce ? nonce : DashboardGrants.FirstNonce;
    }
}
