using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Evidence;
using NotifyHub.Domain.Ledger;
using NotifyHub.Evidence;
using NotifyHub.Ledger;
using NotifyHub.Storage;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Evidence;

/// <summary>
/// The evidence key changes (a rotation): anchors signed before it still verify, because the hub keeps publishing the key it
/// replaced (<c>Evidence:RetiredPublicKeys</c>) and every export carries it. The hub's own classes over an Azurite of the test's own.
/// </summary>
public class EvidenceKeyRotationTests
{
    private static EvidenceAnchors Anchors(TableServiceClient tables, BlobServiceClient blobs, ECDsa signing, params ECDsa[] retired) =>
        new(new LedgerStore(tables), new EvidenceChanges(tables, TimeProvider.System), tables, blobs,
            Options.Create(new EvidenceOptions
            {
                SigningKey = signing.ExportPkcs8PrivateKeyPem(),
                RetiredPublicKeys = string.Concat(retired.Select(r => r.ExportSubjectPublicKeyInfoPem() + "\n")),
            }),
            TimeProvider.System, NullLogger<EvidenceAnchors>.Instance);

    private static async Task CommitAsync(LedgerStore store, EvidenceChanges changes, string incidentId, int events)
    {
        var current = await store.LoadAsync(incidentId, LedgerParts.None, [], default);
        var now = DateTimeOffset.UtcNow;
        var write = new LedgerWrite { Facts = current.Exists ? null : new NotifyHub.Domain.Delivery.IncidentFacts("DEMO", "REF-R", "840", "medium", now, now, null, now) };
        for (var i = 0; i < events; i++) write.Events.Add(LedgerEvent.Of(LedgerEventTypes.Opened, DateTimeOffset.UtcNow, "school-1", ("n", current.Version + i + 1)));
        Assert.NotNull(await store.TryCommitAsync(current, write, DateTimeOffset.UtcNow, default));
        await changes.NoteAsync(incidentId, default);
    }

    [Fact]
    public async Task After_a_rotation_an_export_spanning_both_keys_verifies_with_the_published_keys_and_not_with_the_new_key_alone()
    {
        await using var azurite = await OwnAzurite.StartAsync();
        var tables = new TableServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        foreach (var table in StorageNames.Tables) await tables.CreateTableIfNotExistsAsync(table);
        await blobs.GetBlobContainerClient(StorageNames.AnchorsContainer).CreateIfNotExistsAsync();
        var store = new LedgerStore(tables);
        var changes = new EvidenceChanges(tables, TimeProvider.System);
        using var oldKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        const string incident = "inc_rotation";

        await CommitAsync(store, changes, incident, 3);
        await Anchors(tables, blobs, oldKey).AnchorAsync(default);
        await CommitAsync(store, changes, incident, 2);
        var rotated = Anchors(tables, blobs, newKey, oldKey);
        await rotated.AnchorAsync(default);

        var export = await new IncidentEvidence(store, rotated, TimeProvider.System, NullLogger<IncidentEvidence>.Instance).ExportAsync(incident, "DEMO", "REF-R", default);

        Assert.Equal(2, export["keys"]!.AsArray().Count);
        var (published, problem) = EvidenceSignature.ReadPublicKeys(string.Concat(rotated.PublicKeys.Values.Select(p => p + "\n")));
        Assert.Null(problem);
        var both = EvidenceVerifier.Verify(export, published.ToDictionary(EvidenceSignature.KeyId));
        Assert.True(both.Outcome == VerifyOutcome.Verified, both.Failure);
        var newOnly = EvidenceVerifier.Verify(export, new Dictionary<string, ECDsa> { [EvidenceSignature.KeyId(newKey)] = newKey });
        Assert.Equal(VerifyOutcome.Failed, newOnly.Outcome);
        Assert.Equal(1, newOnly.FailedAnchor);
    }

    [Theory]
    [InlineData("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----", "key 1 is not a PEM public key")]
    [InlineData("hello", "is not a PEM public key")]
    public void Start_up_refuses_retired_keys_that_are_not_P_256_public_keys(string retired, string why)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new EvidenceOptions { SigningKey = key.ExportPkcs8PrivateKeyPem(), RetiredPublicKeys = retired };
        var results = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        Assert.Contains(results, r => r.ErrorMessage!.Contains(why, StringComparison.Ordinal));
    }
}
