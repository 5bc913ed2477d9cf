using NotifyHub.Domain.Directory;
using NotifyHub.Auth;
using NotifyHub.Organisations;

namespace NotifyHub.Timeliness;

/// <summary>The partnership leads: all of them (the daily digest), or those of one LA through the directory index (escalations).</summary>
public sealed class PartnershipLeads(DirectoryStore directory)
{
    public Task<IReadOnlyList<Organisation>> AllAsync(CancellationToken ct) => directory.PartnershipLeadsAsync(ct);

    /// <summary>The escalation contacts for late shares of <paramref name="recipientType"/> in local authority <paramref name="la"/>.</summary>
    public async Task<IReadOnlyList<string>> EscalationContactsAsync(string la, string recipientType, CancellationToken ct)
    {
        var key = new DirectoryKey(OrganisationTypes.PartnershipLead, DirectoryKey.La, la);
        var leads = (await directory.LoadAsync([key], ct)).Find(key);
        return leads.Where(l => l.LaCodes?.Contains(la) == true)
            .SelectMany(l => l.EscalationContacts ?? []).Where(c => c.Covers(recipientType)).Select(c => c.Email)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}

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
        _ => new Scope([], "-"),
    };
}
