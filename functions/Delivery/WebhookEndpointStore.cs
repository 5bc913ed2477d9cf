using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using NotifyHub.Storage;

namespace NotifyHub.Delivery;

/// <summary>The hub's side of one recipient's webhook endpoint: its signing secrets, whether it is disabled, and its liveness.</summary>
/// <param name="Secrets">The secrets that sign now: the current one, and the previous one until its overlap ends.</param>
public sealed record WebhookEndpoint(
    string OrganisationId, IReadOnlyList<string> Secrets, DateTimeOffset? RotatedAt, DateTimeOffset? DisabledAt, string? DisabledReason,
    DateTimeOffset? LastPingAt, bool? LastPingOk, DateTimeOffset? LastSuccessfulPingAt, string? LastPingError)
{
    public bool Disabled => DisabledAt is not null;

    /// <summary>A stored secret is not protected with the current key (the previous one, or none: stored before protection).</summary>
    public bool SecretsStale { get; init; }

    /// <summary>
    /// Why a stored secret was left out, if one was: <see cref="WebhookEndpoint.StoredInTheClear"/> (outside the one-off
    /// migration) or <see cref="WebhookEndpoint.Unreadable"/> (a key the hub no longer has, or altered). Null when every stored secret opened.
    /// </summary>
    public string? SecretProblem { get; init; }

    public const string StoredInTheClear = "stored-in-the-clear";
    public const string Unreadable = "unreadable";
}

/// <summary>
/// Table <c>WebhookEndpoints</c>: partition = organisation id, row <c>endpoint</c>. Secrets are Standard Webhooks
/// secrets (<c>whsec_</c> + base64 of 32 random bytes), shown once when issued and stored encrypted
/// (<see cref="WebhookSecretProtector"/>); after a rotation the previous secret still signs for
/// <see cref="DeliveryOptions.SecretOverlap"/>, so receivers can switch without losing a message. A secret that cannot be
/// opened — under a key the hub no longer has, or found in the clear outside the one-off migration — is left out (logged,
/// and named in <see cref="WebhookEndpoint.SecretProblem"/>): the endpoint then has no secret to sign with, and deliveries
/// take the fallback channel.
/// </summary>
/// <param name="sendingCacheFor">
/// How long <see cref="ForSendingAsync"/> keeps an endpoint it read (<see cref="KeptReads"/>): an incident's deliveries and
/// retries to one recipient read the same row. Every write through this store forgets it; zero keeps nothing.
/// </param>
public sealed class WebhookEndpointStore(TableServiceClient tables, WebhookSecretProtector protector, TimeProvider time, ILogger<WebhookEndpointStore> logger,
    TimeSpan sendingCacheFor = default)
{
    /// <summary>How long delivery keeps an endpoint it read, in the hub (a rotation or a 410 elsewhere reaches this instance within it).</summary>
    public static readonly TimeSpan SendingCacheFor = TimeSpan.FromSeconds(5);

    private const string Row = "endpoint";
    private readonly KeptReads _kept = new(time, sendingCacheFor);
    private TableClient Table => tables.GetTableClient(StorageNames.WebhookEndpointsTable);

    public async Task<WebhookEndpoint?> GetAsync(string organisationId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ReadRowAsync(organisationId, cancellationToken) is { } row ? Read(row, now) : null;

    /// <summary>The endpoint as a delivery attempt needs it (its secrets and whether it is disabled), from a read kept briefly.</summary>
    public async Task<WebhookEndpoint?> ForSendingAsync(string organisationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var generation = _kept.Generation;
        if (!_kept.TryGet<Kept>(organisationId, out var kept))
        {
            kept = new Kept(await ReadRowAsync(organisationId, cancellationToken));
            _kept.Keep(organisationId, kept, generation);
        }
        return kept!.Row is { } row ? Read(row, now) : null;
    }

    /// <summary>A row as read (or none), as kept: never changed after it is read.</summary>
    private sealed record Kept(TableEntity? Row);

    private async Task<TableEntity?> ReadRowAsync(string organisationId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(organisationId, Row, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Issues a new current secret; the old one stays valid until <paramref name="previousValidUntil"/>. Re-enables a disabled endpoint.</summary>
    public Task<string> RotateAsync(string organisationId, DateTimeOffset previousValidUntil, CancellationToken cancellationToken) =>
        _kept.WritingAsync(() => RotateOnceAsync(organisationId, previousValidUntil, cancellationToken));

    private async Task<string> RotateOnceAsync(string organisationId, DateTimeOffset previousValidUntil, CancellationToken cancellationToken)
    {
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        while (true)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(organisationId, Row, cancellationToken: cancellationToken);
            var entity = existing.HasValue ? existing.Value! : new TableEntity(organisationId, Row);
            entity["PreviousSecret"] = entity.GetString("CurrentSecret");
            entity["PreviousValidUntil"] = entity.GetString("CurrentSecret") is null ? null : previousValidUntil;
            entity["CurrentSecret"] = protector.Protect(secret, organisationId);
            entity["RotatedAt"] = now;
            entity["DisabledAt"] = null;
            entity["DisabledReason"] = null;
            try
            {
                if (existing.HasValue) await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                else await Table.AddEntityAsync(entity, cancellationToken);
                return secret;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Rotated or disabled at the same moment: read again and apply this rotation on top.
            }
        }
    }

    /// <summary>
    /// Protects the endpoint's stored secrets again with the current key (after a key rotation, or a secret stored
    /// before protection). False when there was nothing to do, a secret could not be opened, or the row changed meanwhile
    /// (the next run tries again).
    /// </summary>
    public Task<bool> ReprotectAsync(string organisationId, CancellationToken cancellationToken) =>
        _kept.WritingAsync(() => ReprotectOnceAsync(organisationId, cancellationToken));

    private async Task<bool> ReprotectOnceAsync(string organisationId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(organisationId, Row, cancellationToken: cancellationToken);
        if (!row.HasValue) return false;
        var entity = row.Value!;
        var changed = false;
        foreach (var column in new[] { "CurrentSecret", "PreviousSecret" })
        {
            if (entity.GetString(column) is not { } stored) continue;
            if (!protector.TryUnprotect(stored, organisationId, out var secret, out var stale, out _)) return false;
            if (!stale) continue;
            entity[column] = protector.Protect(secret, organisationId);
            changed = true;
        }
        if (!changed) return false;
        try
        {
            await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            DeliveryLog.SecretsReprotected(logger, organisationId);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Protects again with the current key every stored secret that needs it (<see cref="WebhookSecretProtector.NeedsProtectingAgain"/>),
    /// across the whole table — whatever the organisation's channel now, active or not — <paramref name="concurrency"/> rows
    /// at a time. Answers how many endpoints were protected again and how many were due but not (a secret that does not
    /// open, or a row that changed meanwhile: the next run tries again).
    /// </summary>
    public async Task<(int Reprotected, int NotReprotected)> ReprotectAllAsync(int concurrency, CancellationToken cancellationToken)
    {
        var due = new List<string>();
        await foreach (var row in Table.QueryAsync<TableEntity>(select: ["PartitionKey", "CurrentSecret", "PreviousSecret"], cancellationToken: cancellationToken))
        {
            if (new[] { row.GetString("CurrentSecret"), row.GetString("PreviousSecret") }.Any(s => s is not null && protector.NeedsProtectingAgain(s)))
                due.Add(row.PartitionKey);
        }
        var reprotected = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (organisationId, ct) =>
        {
            if (await ReprotectAsync(organisationId, ct)) Interlocked.Increment(ref reprotected);
        });
        return (reprotected, due.Count - reprotected);
    }

    /// <summary>Disables the endpoint (its receiver answered 410 Gone): deliveries go to the fallback channel until a rotation re-enables it.</summary>
    public Task DisableAsync(string organisationId, string reason, CancellationToken cancellationToken) =>
        _kept.WritingAsync(async () => await Table.UpsertEntityAsync(new TableEntity(organisationId, Row) { ["DisabledAt"] = time.GetUtcNow(), ["DisabledReason"] = reason },
            TableUpdateMode.Merge, cancellationToken));

    /// <summary>Records the result of a liveness ping.</summary>
    public async Task RecordPingAsync(string organisationId, bool ok, string? error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entity = new TableEntity(organisationId, Row) { ["LastPingAt"] = now, ["LastPingOk"] = ok, ["LastPingError"] = ok ? null : error };
        if (ok) entity["LastSuccessfulPingAt"] = now;
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    private WebhookEndpoint Read(TableEntity e, DateTimeOffset now)
    {
        var secrets = new List<string>();
        var anyStale = false;
        string? problem = null;
        void Open(string stored)
        {
            if (protector.TryUnprotect(stored, e.PartitionKey, out var secret, out var stale, out var keyId))
            {
                secrets.Add(secret);
                anyStale |= stale;
            }
            else if (WebhookSecretProtector.IsPlaintext(stored))
            {
                DeliveryLog.PlaintextSecretRefused(logger, e.PartitionKey);
                problem ??= WebhookEndpoint.StoredInTheClear;
            }
            else
            {
                DeliveryLog.SecretUnreadable(logger, e.PartitionKey, keyId);
                problem ??= WebhookEndpoint.Unreadable;
            }
        }
        if (e.GetString("CurrentSecret") is { } current) Open(current);
        if (e.GetString("PreviousSecret") is { } previous && e.GetDateTimeOffset("PreviousValidUntil") is { } until && until > now) Open(previous);
        return new WebhookEndpoint(e.PartitionKey, secrets, e.GetDateTimeOffset("RotatedAt"), e.GetDateTimeOffset("DisabledAt"), e.GetString("DisabledReason"),
            e.GetDateTimeOffset("LastPingAt"), e.GetBoolean("LastPingOk"), e.GetDateTimeOffset("LastSuccessfulPingAt"), e.GetString("LastPingError"))
        {
            SecretsStale = anyStale,
            SecretProblem = problem,
        };
    }
}
