using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Evidence;
using NotifyHub.Ledger;
using NotifyHub.Storage;

namespace NotifyHub.Evidence;

/// <summary>What an anchoring made: the anchor's number, how many chain heads it signs, its root and cutoff.</summary>
public sealed record AnchorMade(long Number, long Leaves, string Root, DateTimeOffset? From, DateTimeOffset Cutoff, DateTimeOffset CreatedAt);

/// <summary>
/// The daily signed anchors (docs/evidence.md). Anchor n signs, with the hub's evidence key, the Merkle root of the chain heads
/// of every incident whose ledger changed since anchor n−1 (its cutoff, less <see cref="EvidenceOptions.Overlap"/>), and anchor
/// n−1's hash. Container <c>evidence-anchors</c>, write-once (the Azure template puts it under a time-based immutability
/// policy): <c>anchors/{n:D8}.leaves.json</c> (the leaves, written first) and <c>anchors/{n:D8}.json</c> (the signed statement).
/// Each blob is created only if it does not exist, so two anchorings never both make anchor n; one that dies between the two
/// blobs is finished by the next from the leaves it wrote. Then each incident's inclusion proof is stored (table
/// <c>EvidenceAnchors</c>, partition the incident id, row the anchor number) and the anchor noted done (partition
/// <c>anchors</c>): a projection of the blobs, rebuilt from them by the next anchoring if it was cut short.
/// </summary>
public sealed class EvidenceAnchors(LedgerStore ledger, EvidenceChanges changes, TableServiceClient tables, BlobServiceClient blobs,
    IOptions<EvidenceOptions> options, TimeProvider time, ILogger<EvidenceAnchors> logger)
{
    private const string AnchorsPartition = "anchors";
    private const string Prefix = "anchors/";
    private const int Parallelism = 16;
    private readonly Lazy<ECDsa> _key = new(() => options.Value.Key());

    private TableClient Table => tables.GetTableClient(StorageNames.EvidenceAnchorsTable);
    private BlobContainerClient Container => blobs.GetBlobContainerClient(StorageNames.AnchorsContainer);

    /// <summary>The signing key's id.</summary>
    public string KeyId => EvidenceSignature.KeyId(_key.Value);

    /// <summary>The public keys anchors are verified with, by id (PEM): the signing key's, then any it replaced.</summary>
    public IReadOnlyDictionary<string, string> PublicKeys => _publicKeys.Value;

    private readonly Lazy<IReadOnlyDictionary<string, string>> _publicKeys = new(() =>
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        using var signing = options.Value.Key();
        keys[EvidenceSignature.KeyId(signing)] = EvidenceSignature.PublicPem(signing);
        foreach (var retired in options.Value.Retired()) keys.TryAdd(EvidenceSignature.KeyId(retired), EvidenceSignature.PublicPem(retired));
        return keys;
    });

    /// <summary>Makes the next anchor (or finishes one an earlier run was cut short in), and stores every inclusion proof in it.</summary>
    public async Task<AnchorMade> AnchorAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAnchorAsync(ct);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 5)
            {
                EvidenceLog.AnchorRaced(logger, attempt); // another run created the same anchor first: read again
            }
        }
    }

    private async Task<AnchorMade> TryAnchorAsync(CancellationToken ct)
    {
        var (latest, pending) = await LatestAsync(ct);
        if (latest is not null && !await RecordedAsync(latest.Value.Number, ct)) await RecordAsync(latest.Value.Number, latest.Value.Statement, ct);
        var number = (latest?.Number ?? 0) + 1;
        Leaves leaves;
        if (pending == number)
        {
            leaves = await ReadLeavesAsync(number, ct);
        }
        else
        {
            var from = latest?.Statement.Cutoff - options.Value.Overlap;
            var cutoff = time.GetUtcNow();
            var incidents = await changes.SinceAsync(from, cutoff, ct);
            var heads = new List<AnchorLeaf>();
            await Parallel.ForEachAsync(incidents, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (id, token) =>
            {
                if (await ledger.ChainHeadAsync(id, token) is { } head)
                {
                    lock (heads) heads.Add(new AnchorLeaf(id, head.Force, head.Reference, head.Version, head.ChainHash));
                }
            });
            leaves = new Leaves(number, from, cutoff, [.. heads.OrderBy(h => h.IncidentId, StringComparer.Ordinal)]);
            await CreateAsync(LeavesBlob(number), leaves.ToJson(), ct);
        }
        var tree = new MerkleTree([.. leaves.List.Select(l => l.Hash())]);
        var statement = new AnchorStatement(number, latest?.Hash ?? EvidenceChain.Genesis, EvidenceChain.Hex(tree.Root), leaves.List.Count, leaves.From,
            leaves.Cutoff, KeyId, time.GetUtcNow());
        var json = statement.ToJson();
        var signed = new SignedAnchor(json, EvidenceSignature.Sign(_key.Value, CanonicalJson.Bytes(json)));
        await CreateAsync(AnchorBlob(number), new JsonObject { ["statement"] = json.DeepClone(), ["signature"] = signed.Signature }, ct);
        await RecordAsync(number, statement, ct, leaves, tree);
        EvidenceLog.Anchored(logger, number, leaves.List.Count, statement.Root[..16]);
        return new AnchorMade(number, leaves.List.Count, statement.Root, leaves.From, leaves.Cutoff, statement.CreatedAt);
    }

    /// <summary>The anchors numbered <paramref name="from"/> to <paramref name="through"/>, as stored.</summary>
    public async Task<IReadOnlyList<SignedAnchor>> ReadAsync(long from, long through, CancellationToken ct)
    {
        // An incident changed months apart spans an anchor a day between: read them side by side.
        var found = new SignedAnchor?[Math.Max(0, through - from + 1)];
        await Parallel.ForEachAsync(Enumerable.Range(0, found.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (i, token) => found[i] = await ReadAnchorAsync(from + i, token));
        return [.. found.OfType<SignedAnchor>()];
    }

    /// <summary>The incident's inclusion proofs, one per anchor that holds its chain head, oldest first.</summary>
    public async Task<IReadOnlyList<Inclusion>> InclusionsAsync(string incidentId, CancellationToken ct)
    {
        var list = new List<Inclusion>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {incidentId}"), cancellationToken: ct))
        {
            var path = row.GetString("Path") ?? "";
            list.Add(new Inclusion(row.GetInt64("Anchor") ?? 0, row.GetInt64("Version") ?? 0, row.GetString("ChainHash") ?? "", row.GetInt64("LeafIndex") ?? 0,
                row.GetInt64("TreeSize") ?? 0, [.. Enumerable.Range(0, path.Length / 64).Select(i => path.Substring(i * 64, 64))]));
        }
        return [.. list.OrderBy(i => i.Anchor)];
    }

    /// <summary>The latest anchor (with its hash), and the number of leaves written for an anchor not yet made (a run cut short), if any.</summary>
    private async Task<((long Number, AnchorStatement Statement, string Hash)? Latest, long? Pending)> LatestAsync(CancellationToken ct)
    {
        long latest = 0, leaves = 0;
        await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, Prefix, ct))
        {
            var name = blob.Name[Prefix.Length..];
            var isLeaves = name.EndsWith(".leaves.json", StringComparison.Ordinal);
            var digits = isLeaves ? name[..^".leaves.json".Length] : name.EndsWith(".json", StringComparison.Ordinal) ? name[..^".json".Length] : "";
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) continue;
            if (isLeaves) leaves = Math.Max(leaves, n);
            else latest = Math.Max(latest, n);
        }
        if (latest == 0) return (null, leaves > 0 ? leaves : null);
        var anchor = await ReadAnchorAsync(latest, ct) ?? throw new InvalidOperationException($"Anchor {latest} is not a signed anchor.");
        var statement = anchor.Read() ?? throw new InvalidOperationException($"Anchor {latest} is not a signed anchor.");
        var hash = EvidenceChain.Hex(SHA256.HashData(CanonicalJson.Bytes(anchor.Statement)));
        return ((latest, statement, hash), leaves > latest ? leaves : null);
    }

    private async Task<SignedAnchor?> ReadAnchorAsync(long number, CancellationToken ct)
    {
        try
        {
            var content = await Container.GetBlobClient(AnchorBlob(number)).DownloadContentAsync(ct);
            if (JsonNode.Parse(content.Value.Content.ToString()) is JsonObject o && o["statement"] is JsonObject statement)
                return new SignedAnchor((JsonObject)statement.DeepClone(), o["signature"]?.GetValue<string>() ?? "");
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task<bool> RecordedAsync(long number, CancellationToken ct) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(AnchorsPartition, Row(number), ["RecordedAt"], ct)).HasValue;

    /// <summary>Stores every incident's inclusion proof in anchor <paramref name="number"/>, then notes the anchor done.</summary>
    private async Task RecordAsync(long number, AnchorStatement statement, CancellationToken ct, Leaves? leaves = null, MerkleTree? tree = null)
    {
        leaves ??= await ReadLeavesAsync(number, ct);
        tree ??= new MerkleTree([.. leaves.List.Select(l => l.Hash())]);
        var size = leaves.List.Count;
        await Parallel.ForEachAsync(Enumerable.Range(0, size), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token) =>
        {
            var leaf = leaves.List[i];
            await Table.UpsertEntityAsync(new TableEntity(leaf.IncidentId, Row(number))
            {
                ["Anchor"] = number, ["Version"] = leaf.Version, ["ChainHash"] = leaf.ChainHash, ["LeafIndex"] = (long)i, ["TreeSize"] = (long)size,
                ["Path"] = string.Concat(tree.Path(i).Select(EvidenceChain.Hex)),
            }, TableUpdateMode.Replace, token);
        });
        await Table.UpsertEntityAsync(new TableEntity(AnchorsPartition, Row(number))
        {
            ["Leaves"] = (long)size, ["Root"] = statement.Root, ["Cutoff"] = statement.Cutoff, ["RecordedAt"] = time.GetUtcNow(),
        }, TableUpdateMode.Replace, ct);
    }

    private async Task<Leaves> ReadLeavesAsync(long number, CancellationToken ct)
    {
        var content = await Container.GetBlobClient(LeavesBlob(number)).DownloadContentAsync(ct);
        return Leaves.Read(JsonNode.Parse(content.Value.Content.ToString()) as JsonObject)
            ?? throw new InvalidOperationException($"The leaves of anchor {number} are not readable.");
    }

    private async Task CreateAsync(string name, JsonObject json, CancellationToken ct)
    {
        await Container.GetBlobClient(name).UploadAsync(BinaryData.FromString(json.ToJsonString()),
            new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, ct);
    }

    private static string Row(long number) => number.ToString("D8", CultureInfo.InvariantCulture);
    private static string AnchorBlob(long number) => $"{Prefix}{Row(number)}.json";
    private static string LeavesBlob(long number) => $"{Prefix}{Row(number)}.leaves.json";

    /// <summary>What anchor <see cref="Number"/> signs: the chain heads, in incident-id order, of the incidents that changed in its window.</summary>
    private sealed record Leaves(long Number, DateTimeOffset? From, DateTimeOffset Cutoff, IReadOnlyList<AnchorLeaf> List)
    {
        public JsonObject ToJson() => new()
        {
            ["number"] = Number,
            ["from"] = From is { } f ? Domain.Ledger.LedgerEvent.Canonical(f) : null,
            ["cutoff"] = Domain.Ledger.LedgerEvent.Canonical(Cutoff),
            ["leaves"] = new JsonArray([.. List.Select(l => (JsonNode)new JsonObject
            {
                ["incident"] = l.IncidentId, ["force"] = l.Force, ["reference"] = l.Reference, ["version"] = l.Version, ["hash"] = l.ChainHash,
            })]),
        };

        public static Leaves? Read(JsonObject? o)
        {
            if (o?["number"]?.GetValue<long>() is not { } number || o["cutoff"]?.GetValue<string>() is not { } cutoff || o["leaves"] is not JsonArray list) return null;
            var from = o["from"]?.GetValue<string>();
            return new Leaves(number, from is null ? null : DateTimeOffset.Parse(from, CultureInfo.InvariantCulture), DateTimeOffset.Parse(cutoff, CultureInfo.InvariantCulture),
                [.. list.OfType<JsonObject>().Select(l => new AnchorLeaf(l["incident"]!.GetValue<string>(), l["force"]?.GetValue<string>() ?? "",
                    l["reference"]?.GetValue<string>() ?? "", l["version"]!.GetValue<long>(), l["hash"]!.GetValue<string>()))]);
        }
    }
}

internal static partial class EvidenceLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Evidence anchor {Number} signed: {Leaves} incident chain heads, root {Root}")]
    public static partial void Anchored(ILogger logger, long number, long leaves, string root);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Another run made the same evidence anchor first (try {Try}); reading again")]
    public static partial void AnchorRaced(ILogger logger, int @try);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "Evidence exported for incident {IncidentId}: {Events} events, {Anchors} anchors")]
    public static partial void Exported(ILogger logger, string incidentId, int events, int anchors);
}
