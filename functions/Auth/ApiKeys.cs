using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using NotifyHub.Storage;

namespace NotifyHub.Auth;

/// <summary>Who may call the hub, by role.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Police = "police";
    /// <summary>A recipient organisation of any type (school, health team, SPOC, MASH...): reads and acknowledges its own notifications.</summary>
    public const string Recipient = "recipient";
    /// <summary>A partnership lead: timeliness reports and the dashboard for its local authorities, never child-identifying data.</summary>
    public const string Partnership = "partnership";
    /// <summary>
    /// An inspector (Ofsted, CQC, HMICFRS, HMI Probation): reads the evidence of incidents and the reports for the LAs its
    /// key names, and nothing else; its key expires (at most <see cref="InspectorKeys.MaxValidFor"/> after it is issued).
    /// </summary>
    public const string Inspector = "inspector";
}

/// <summary>What an inspector's key may be.</summary>
public static class InspectorKeys
{
    /// <summary>The longest an inspector's key lasts.</summary>
    public static readonly TimeSpan MaxValidFor = TimeSpan.FromDays(90);

    /// <summary>The organisation id an inspector's key is issued under (inspectorates are not in the directory: they receive nothing).</summary>
    public const string Organisation = "inspectors";
}

/// <summary>An authenticated caller: the organisation a key belongs to and what it may do.</summary>
public sealed record Caller(string KeyId, string OrganisationId, string Role, string? ForceCode)
{
    /// <summary>The LAs an inspector's key covers (null for every other key: their organisation says).</summary>
    public IReadOnlyList<string>? Las { get; init; }

    /// <summary>When the key stops working (an inspector's key); null for a key that lasts until revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>What an inspector's key was issued for (the inspection), for the audit trail.</summary>
    public string? Purpose { get; init; }
}

/// <summary>A newly issued key: the secret is shown once and never stored.</summary>
public sealed record IssuedKey(string KeyId, string Secret, Caller Caller, DateTimeOffset CreatedAt);

/// <summary>
/// API keys, stored only as SHA-256 hashes (the keys are 256-bit random, so a fast hash is enough).
/// Table <c>ApiKeys</c>: one partition, row key = the hash. A revoked key keeps its row.
/// </summary>
public sealed class ApiKeyStore(TableServiceClient tables, TimeProvider time)
{
    private const string Partition = "apikey";
    private const string Prefix = "nh_";

    private TableClient Table => tables.GetTableClient(StorageNames.ApiKeysTable);

    public Task<IssuedKey> IssueAsync(string organisationId, string role, string? forceCode, CancellationToken cancellationToken) =>
        IssueAsync(new Caller("", organisationId, role, forceCode), cancellationToken);

    /// <summary>Issues an inspector's key: for the LAs named, until <paramref name="expiresAt"/>, for the inspection named.</summary>
    public Task<IssuedKey> IssueInspectorAsync(string purpose, IReadOnlyList<string> las, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        IssueAsync(new Caller("", InspectorKeys.Organisation, Roles.Inspector, null) { Las = las, ExpiresAt = expiresAt, Purpose = purpose }, cancellationToken);

    /// <summary>Issues a key for <paramref name="holder"/> (its key id is made here): the secret is in the answer only.</summary>
    private async Task<IssuedKey> IssueAsync(Caller holder, CancellationToken cancellationToken)
    {
        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var caller = holder with { KeyId = "key_" + Base64Url(RandomNumberGenerator.GetBytes(9)) };
        var createdAt = time.GetUtcNow();
        await Table.AddEntityAsync(new TableEntity(Partition, Hash(secret))
        {
            ["KeyId"] = caller.KeyId,
            ["OrganisationId"] = caller.OrganisationId,
            ["Role"] = caller.Role,
            ["ForceCode"] = caller.ForceCode,
            ["CreatedAt"] = createdAt,
            ["Las"] = caller.Las is { } las ? string.Join(',', las) : null,
            ["ExpiresAt"] = caller.ExpiresAt,
            ["Purpose"] = caller.Purpose,
        }, cancellationToken);
        return new IssuedKey(caller.KeyId, secret, caller, createdAt);
    }

    /// <summary>The caller a presented key belongs to, or null for an unknown or revoked key.</summary>
    public async Task<Caller?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 100) return null;
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, Hash(presented), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.ContainsKey("RevokedAt")) return null;
        var e = row.Value;
        return new Caller(e.GetString("KeyId"), e.GetString("OrganisationId"), e.GetString("Role"), e.GetString("ForceCode"))
        {
            Las = e.GetString("Las") is { } las ? las.Split(',', StringSplitOptions.RemoveEmptyEntries) : null,
            ExpiresAt = e.GetDateTimeOffset("ExpiresAt"),
            Purpose = e.GetString("Purpose"),
        };
    }

    /// <summary>Revokes a key of an organisation by its id; false when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string organisationId, string keyId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and KeyId eq {keyId} and OrganisationId eq {organisationId}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            row["RevokedAt"] = time.GetUtcNow();
            await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        return false;
    }

    /// <summary>The SHA-256 of a key, as stored: what the hub keeps and what it caches by, never the key itself.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
