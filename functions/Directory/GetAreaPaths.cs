using Microsoft.Azure.Functions.Worker;
using NotifyHub.Auth;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.FrontDoor;
using NotifyHub.Hosting;
using NotifyHub.Organisations;

namespace NotifyHub.Functions;

/// <summary>
/// <c>GET /api/admin/areas/{laCode}/paths</c> (admin): how LA <c>laCode</c>'s shares reach each recipient type — the relayed
/// types with their relay (id, name, whether it can relay now) and whether a late release is sent on automatically, and the
/// types that go direct.
/// </summary>
public sealed class GetAreaPaths(AreaPathStore paths, DirectoryStore directory)
{
    public sealed record PathView(string RecipientType, string Via, string? ViaName, bool AutoReleaseWhenLate, string? Problem);

    public sealed record Answer(string LaCode, string LaName, IReadOnlyList<PathView> Paths, IReadOnlyList<string> Direct);

    [Function(nameof(GetAreaPaths))]
    [RequiresRole(Roles.Admin)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/areas/{laCode}/paths")] HttpRequest request, string laCode)
    {
        var ct = request.HttpContext.RequestAborted;
        if (LaProblem(laCode) is { } bad) return Problems.Invalid("laCode", bad);
        var stored = await paths.ForLaAsync(laCode, ct);
        var relays = new Dictionary<string, Organisation>(StringComparer.Ordinal);
        foreach (var via in stored.Select(p => p.Via).Distinct(StringComparer.Ordinal))
        {
            if (await directory.GetAsync(via, ct) is { } found) relays[via] = found;
        }
        return TypedResults.Ok(Of(laCode, stored, relays));
    }

    public static string? LaProblem(string laCode) =>
        laCode.Length == 3 && laCode.All(char.IsAsciiDigit) ? null : "must be a three-digit DfE local authority code";

    /// <summary>The paths as an administrator reads them; a relay that can no longer relay says why (its shares go direct meanwhile).</summary>
    public static Answer Of(string laCode, IReadOnlyList<AreaPath> stored, IReadOnlyDictionary<string, Organisation> relays) =>
        new(laCode, LocalAuthorities.Name(laCode),
            stored.OrderBy(p => p.RecipientType, StringComparer.Ordinal)
                .Select(p => new PathView(p.RecipientType, p.Via, relays.GetValueOrDefault(p.Via)?.Name, p.AutoReleaseWhenLate,
                    AreaPaths.RelayProblem(relays.GetValueOrDefault(p.Via), laCode) is { } why ? $"{p.Via} {why}: these shares go direct until it is mended" : null))
                .ToList(),
            AreaPaths.RelayableTypes.Where(t => stored.All(p => p.RecipientType != t)).ToList());
}
