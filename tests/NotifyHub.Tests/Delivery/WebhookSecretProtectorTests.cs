using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using NotifyHub.Delivery;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Delivery;

public class WebhookSecretProtectorTests
{
    private static readonly byte[] KeyA = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] KeyB = RandomNumberGenerator.GetBytes(32);
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Fact]
    public void A_protected_secret_opens_again_for_its_organisation_and_the_stored_text_does_not_hold_it()
    {
        var protector = new WebhookSecretProtector(KeyA);
        var stored = protector.Protect(Secret, "school-123456");

        Assert.StartsWith($"v1.{protector.CurrentKeyId}.", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret["whsec_".Length..], stored, StringComparison.Ordinal);
        Assert.True(protector.TryUnprotect(stored, "school-123456", out var opened, out var stale, out var keyId));
        Assert.Equal(Secret, opened);
        Assert.False(stale);
        Assert.Equal(protector.CurrentKeyId, keyId);
        Assert.NotEqual(stored, protector.Protect(Secret, "school-123456")); // a fresh nonce each time
    }

    [Fact]
    public void A_secret_does_not_open_for_another_organisation_altered_or_under_a_key_the_hub_does_not_have()
    {
        var stored = new WebhookSecretProtector(KeyA).Protect(Secret, "school-123456");
        var protector = new WebhookSecretProtector(KeyA);

        Assert.False(protector.TryUnprotect(stored, "school-654321", out _, out _, out _));
        var payload = stored[(stored.LastIndexOf('.') + 1)..];
        var altered = stored[..^payload.Length] + (payload[0] == 'A' ? 'B' : 'A') + payload[1..];
        Assert.False(protector.TryUnprotect(altered, "school-123456", out _, out _, out _));
        Assert.False(new WebhookSecretProtector(KeyB).TryUnprotect(stored, "school-123456", out _, out _, out var unknownKey));
        Assert.Equal(protector.CurrentKeyId, unknownKey);
        foreach (var junk in new[] { "", "v1", "v1.x.y", "v2.abc.def", "v1.abcdef12.!!!", "v1." + protector.CurrentKeyId + ".AAAA" })
            Assert.False(protector.TryUnprotect(junk, "school-123456", out _, out _, out _));
    }

    [Fact]
    public void During_a_key_rotation_a_secret_under_the_previous_key_opens_and_is_reported_stale()
    {
        var stored = new WebhookSecretProtector(KeyA).Protect(Secret, "school-123456");
        var rotating = new WebhookSecretProtector(KeyB, previousKey: KeyA);

        Assert.True(rotating.TryUnprotect(stored, "school-123456", out var opened, out var stale, out _));
        Assert.Equal(Secret, opened);
        Assert.True(stale);
    }

    [Fact]
    public void Protecting_again_is_due_for_a_secret_under_the_previous_key_or_in_the_clear_during_the_migration_and_for_nothing_else()
    {
        var underA = new WebhookSecretProtector(KeyA).Protect(Secret, "school-123456");
        var underB = new WebhookSecretProtector(KeyB).Protect(Secret, "school-123456");
        var rotating = new WebhookSecretProtector(KeyB, previousKey: KeyA);
        Assert.True(rotating.NeedsProtectingAgain(underA));
        Assert.False(rotating.NeedsProtectingAgain(underB));
        Assert.False(rotating.NeedsProtectingAgain(Secret));
        Assert.True(new WebhookSecretProtector(KeyB, migratePlaintext: true).NeedsProtectingAgain(Secret));
        Assert.False(new WebhookSecretProtector(KeyB).NeedsProtectingAgain(underA)); // a key the hub no longer has: nothing to protect it with
        Assert.False(rotating.NeedsProtectingAgain("v1.x"));
    }

    [Fact]
    public void A_secret_in_the_clear_does_not_open_except_during_the_one_off_migration_when_it_is_reported_stale()
    {
        Assert.True(WebhookSecretProtector.IsPlaintext(Secret));
        Assert.False(new WebhookSecretProtector(KeyA).TryUnprotect(Secret, "school-123456", out _, out _, out _));
        Assert.False(new WebhookSecretProtector(KeyB, previousKey: KeyA).TryUnprotect(Secret, "school-123456", out _, out _, out _));

        var migrating = new WebhookSecretProtector(KeyA, migratePlaintext: true);
        Assert.True(migrating.TryUnprotect(Secret, "school-123456", out var legacy, out var legacyStale, out _));
        Assert.Equal(Secret, legacy);
        Assert.True(legacyStale);
    }
}

/// <summary><see cref="WebhookEndpointStore"/> on Azurite, as the hub's key settings change under it.</summary>
public class WebhookSecretStorageTests
{
    private static readonly byte[] KeyA = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] KeyB = RandomNumberGenerator.GetBytes(32);

    private static async Task<(WebhookEndpointStore Store, TableClient Table)> StoreAsync(byte[] key, byte[]? previous = null, bool migratePlaintext = false)
    {
        var tables = new TableServiceClient(await TestStorage.ConnectionStringAsync());
        await tables.CreateTableIfNotExistsAsync(StorageNames.WebhookEndpointsTable);
        var store = new WebhookEndpointStore(tables, new WebhookSecretProtector(key, previous, migratePlaintext), TimeProvider.System,
            NullLogger<WebhookEndpointStore>.Instance);
        return (store, tables.GetTableClient(StorageNames.WebhookEndpointsTable));
    }

    private static string NewOrganisation() => "school-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Sending_keeps_an_endpoint_it_read_for_a_few_seconds_and_a_rotation_or_410_through_the_store_applies_at_once()
    {
        var tables = new TableServiceClient(await TestStorage.ConnectionStringAsync());
        await tables.CreateTableIfNotExistsAsync(StorageNames.WebhookEndpointsTable);
        var clock = new NotifyHub.Tests.Infrastructure.MovableTime(DateTimeOffset.UtcNow);
        var store = new WebhookEndpointStore(tables, new WebhookSecretProtector(KeyA), clock, NullLogger<WebhookEndpointStore>.Instance, TimeSpan.FromSeconds(5));
        var table = tables.GetTableClient(StorageNames.WebhookEndpointsTable);
        var organisation = NewOrganisation();
        var first = await store.RotateAsync(organisation, clock.GetUtcNow(), default);
        Assert.Equal([first], (await store.ForSendingAsync(organisation, clock.GetUtcNow(), default))!.Secrets);

        // Disabled elsewhere (another instance, here straight to the table): not seen while the read is kept, seen once it lapses.
        await table.UpsertEntityAsync(new TableEntity(organisation, "endpoint") { ["DisabledAt"] = clock.GetUtcNow() }, TableUpdateMode.Merge);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False((await store.ForSendingAsync(organisation, clock.GetUtcNow(), default))!.Disabled);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await store.ForSendingAsync(organisation, clock.GetUtcNow(), default))!.Disabled);

        // Through the store, at once: a rotation re-enables it with a new secret, a 410 disables it.
        var second = await store.RotateAsync(organisation, clock.GetUtcNow().AddHours(1), default);
        var rotated = (await store.ForSendingAsync(organisation, clock.GetUtcNow(), default))!;
        Assert.False(rotated.Disabled);
        Assert.Equal([second, first], rotated.Secrets);
        await store.DisableAsync(organisation, "the receiver answered 410 Gone", default);
        Assert.True((await store.ForSendingAsync(organisation, clock.GetUtcNow(), default))!.Disabled);
    }

    [Fact]
    public async Task A_secret_keeps_working_through_a_key_rotation_and_is_then_protected_with_the_new_key_alone()
    {
        var organisation = NewOrganisation();
        var (before, table) = await StoreAsync(KeyA);
        var secret = await before.RotateAsync(organisation, DateTimeOffset.UtcNow.AddHours(1), default);
        var second = await before.RotateAsync(organisation, DateTimeOffset.UtcNow.AddHours(1), default);

        var (rotating, _) = await StoreAsync(KeyB, previous: KeyA);
        var during = await rotating.GetAsync(organisation, DateTimeOffset.UtcNow, default);
        Assert.Equal([second, secret], during!.Secrets);
        Assert.True(during.SecretsStale);

        Assert.True(await rotating.ReprotectAsync(organisation, default));
        Assert.False(await rotating.ReprotectAsync(organisation, default)); // nothing left to move
        var (after, _) = await StoreAsync(KeyB);
        var moved = await after.GetAsync(organisation, DateTimeOffset.UtcNow, default);
        Assert.Equal([second, secret], moved!.Secrets);
        Assert.False(moved.SecretsStale);
        var row = (await table.GetEntityAsync<TableEntity>(organisation, "endpoint")).Value;
        Assert.DoesNotContain(secret, row.GetString("PreviousSecret"), StringComparison.Ordinal);
        Assert.DoesNotContain(second, row.GetString("CurrentSecret"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task During_the_one_off_migration_a_secret_stored_in_the_clear_still_signs_and_is_protected_on_the_next_pass()
    {
        var organisation = NewOrganisation();
        var (store, table) = await StoreAsync(KeyA, migratePlaintext: true);
        const string legacy = "whsec_dGhpcyBpcyBhIGxlZ2FjeSBzZWNyZXQgb2YgMzIgYnl0ZXM=";
        await table.AddEntityAsync(new TableEntity(organisation, "endpoint") { ["CurrentSecret"] = legacy, ["RotatedAt"] = DateTimeOffset.UtcNow });

        Assert.Equal([legacy], (await store.GetAsync(organisation, DateTimeOffset.UtcNow, default))!.Secrets);
        Assert.True(await store.ReprotectAsync(organisation, default));
        Assert.StartsWith("v1.", (await table.GetEntityAsync<TableEntity>(organisation, "endpoint")).Value.GetString("CurrentSecret"), StringComparison.Ordinal);
        Assert.Equal([legacy], (await store.GetAsync(organisation, DateTimeOffset.UtcNow, default))!.Secrets);
        // Protected, it opens without the migration too.
        var (after, _) = await StoreAsync(KeyA);
        Assert.Equal([legacy], (await after.GetAsync(organisation, DateTimeOffset.UtcNow, default))!.Secrets);
    }

    [Fact]
    public async Task A_secret_found_in_the_clear_is_left_out_and_logged_and_not_protected_unless_the_one_off_migration_is_on()
    {
        var organisation = NewOrganisation();
        var tables = new TableServiceClient(await TestStorage.ConnectionStringAsync());
        await tables.CreateTableIfNotExistsAsync(StorageNames.WebhookEndpointsTable);
        var table = tables.GetTableClient(StorageNames.WebhookEndpointsTable);
        const string plain = "whsec_dGhpcyBpcyBhIHBsYWludGV4dCBzZWNyZXQgb2YgMzIgYnk=";
        await table.AddEntityAsync(new TableEntity(organisation, "endpoint") { ["CurrentSecret"] = plain, ["RotatedAt"] = DateTimeOffset.UtcNow });
        using var logs = new CollectedLogs();
        var store = new WebhookEndpointStore(tables, new WebhookSecretProtector(KeyA), TimeProvider.System,
            new Microsoft.Extensions.Logging.Logger<WebhookEndpointStore>(logs.Factory));

        var endpoint = await store.GetAsync(organisation, DateTimeOffset.UtcNow, default);

        Assert.Empty(endpoint!.Secrets);
        var logged = Assert.Single(logs.Entries, e => e.EventId == 4011);
        Assert.Equal(organisation, logged.State["OrganisationId"]);
        Assert.DoesNotContain(plain["whsec_".Length..], logged.Message, StringComparison.Ordinal);
        Assert.False(await store.ReprotectAsync(organisation, default));
        Assert.Equal(plain, (await table.GetEntityAsync<TableEntity>(organisation, "endpoint")).Value.GetString("CurrentSecret"));
    }

    [Fact]
    public async Task A_secret_under_a_key_the_hub_no_longer_has_is_left_out_so_that_nothing_is_signed_with_a_wrong_key()
    {
        var organisation = NewOrganisation();
        var (before, _) = await StoreAsync(KeyA);
        await before.RotateAsync(organisation, DateTimeOffset.UtcNow.AddHours(1), default);

        var (replaced, table) = await StoreAsync(KeyB);
        var endpoint = await replaced.GetAsync(organisation, DateTimeOffset.UtcNow, default);
        Assert.Empty(endpoint!.Secrets);
        Assert.False(await replaced.ReprotectAsync(organisation, default));
        var stored = (await table.GetEntityAsync<TableEntity>(organisation, "endpoint")).Value.GetString("CurrentSecret");
        Assert.True(new WebhookSecretProtector(KeyA).TryUnprotect(stored, organisation, out _, out _, out _), "the unreadable secret was kept as it was");

        // Issuing a new secret recovers the endpoint.
        var fresh = await replaced.RotateAsync(organisation, DateTimeOffset.UtcNow.AddHours(1), default);
        Assert.Equal([fresh], (await replaced.GetAsync(organisation, DateTimeOffset.UtcNow, default))!.Secrets);
    }
}
