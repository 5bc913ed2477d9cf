using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;
using NotifyHub.Auth;
using NotifyHub.Organisations;

namespace NotifyHub.Timeliness;

/// <summary>The partnership leads: all of them (the daily digest), or those of one LA through the directory index (escalations).</summary>
public sealed class PartnershipLeads(DirectoryStore directory)
{
    public Task<IReadOnlyList<Organisation>> AllAsync(CancellationToken ct) => directory.PartnershipLeadsAsync(ct);

    /// <summary>
    /// The escalation contacts for late shares of <paramref name="recipientType"/> in local authority <paramref name="la"/>, each
    /// with the key the ledger records an alert to them under (<see cref="EscalationTargets.Contact"/>: the lead's id and a
    /// keyed hash of the address — never the address).
    /// </summary>
    public async Task<IReadOnlyList<EscalationContact>> EscalationContactsAsync(string la, string recipientType, byte[] hashKey, CancellationToken ct)
    {
        var key = new DirectoryKey(OrganisationTypes.PartnershipLead, DirectoryKey.La, la);
        var leads = (await directory.LoadAsync([key], ct)).Find(key);
        return leads.Where(l => l.LaCodes?.Contains(la) == true)
            .SelectMany(l => (l.EscalationContacts ?? []).Where(c => c.Covers(recipientType)).Select(c => (Lead: l.Id, c.Email)))
            .DistinctBy(c => c.Email.ToLowerInvariant())
            .Select(c => new EscalationContact(EscalationTargets.Contact(c.Lead, AddressKey(c.Email, hashKey)), c.Email, c.Lead))
            .ToList();
    }

    private static string AddressKey(string email, byte[] hashKey) =>
        Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(hashKey, System.Text.Encoding.UTF8.GetBytes("escalation-contact:" + email.ToLowerInvariant())))[..12];
}

/// <summary>An escalation contact: the key alerts to it are recorded under, its address, and the partnership lead it is a contact of.</summary>
public sealed record EscalationContact(string Key, string Email, string LeadId);

/// <summary>What a caller may see of the reports: every LA (administrators), its LAs (a partnership lead) or its force (police).</summary>
public sealed record Scope(IReadOnlyList<string>? Las, string? ForceCode)
{
    public bool Covers(string la, string forceCode) => (Las is null || Las.Contains(la)) && (ForceCode is null || ForceCode == forceCode);
}

public sealed class ReportScope(DirectoryStore directory)
{
    public async Task<Scope> ForAsync(Caller caller, CancellationToken ct) => caller.Role switch
    {
        Roles.Admin => new Scope(null, null),
        Roles.Police => new Scope(null, caller.ForceCode ?? "-"),
        Roles.Partnership => new Scope((await directory.GetAsync(caller.OrganisationId, ct))?.LaCodes ?? [], null),
        Roles.Inspector => new Scope(caller.Las ?? [], null),
        _ => new Scope([], "-"),
    };
}
