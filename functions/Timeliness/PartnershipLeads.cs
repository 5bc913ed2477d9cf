using Microsoft.Extensions.Caching.Memory;
using NotifyHub.Auth;
using NotifyHub.Organisations;

namespace NotifyHub.Timeliness;

/// <summary>The active partnership leads, cached for a minute: escalations and digests read them again and again.</summary>
public sealed class PartnershipLeads(DirectoryStore directory)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    public async Task<IReadOnlyList<Domain.Directory.Organisation>> AllAsync(CancellationToken ct) =>
        (await _cache.GetOrCreateAsync("leads", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return await directory.PartnershipLeadsAsync(ct);
        }))!;

    /// <summary>The escalation contacts for late shares of <paramref name="recipientType"/> in local authority <paramref name="la"/>.</summary>
    public async Task<IReadOnlyList<string>> EscalationContactsAsync(string la, string recipientType, CancellationToken ct) =>
        (await AllAsync(ct)).Where(l => l.LaCodes?.Contains(la) == true)
            .SelectMany(l => l.EscalationContacts ?? []).Where(c => c.Covers(recipientType)).Select(c => c.Email)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
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
