using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Storage;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Evidence;
using NotifyHub.Domain.Ledger;
using NotifyHub.Evidence;
using NotifyHub.Ledger;
using NotifyHub.Storage;

namespace NotifyHub.Bench;

/// <summary>
/// dotnet run -c Release --project bench/NotifyHub.Bench -- evidence [--incidents 5000] [--events 8] [--anchors 30] [--history 40] [--others 1000] [--span 365] [--runs 200]
/// Two figures of issue 21, each against a baseline measured in the same run, through the hub's own classes over the Azure SDK
/// (a pipeline policy counts every storage request by kind):
/// 1. EvidenceAnchors.AnchorAsync over a day of --incidents incidents of --events events each (committed through the ledger,
///    so their hashes and chain heads are real, and noted as changed as the projector notes them), against the cheapest pass
///    conceivable over the same incidents: one point read of each one's chain head. Run at two sizes (a fifth of
///    --incidents, then --incidents), each on a fresh Azurite, to show the storage requests per incident are fixed.
/// 2. EvidenceVerifier.Verify of one export — an incident of --history events held by --anchors anchors — against parsing the
///    same JSON text alone; and of one whose record spans --span daily anchors (an export holds every anchor between the first
///    that holds the incident and the last).
/// Writes bench/results/evidence.md.
/// </summary>
public static class EvidenceBenchmark
{
    /// <summary>The parallelism of the anchor's reads and writes (EvidenceAnchors.Parallelism), used for the baseline and the seeding too.</summary>
    private const int Parallelism = 16;

    /// <summary>Storage requests by kind.</summary>
    public sealed record Requests(long PointReads, long QueryPages, long TableWrites, long BlobReads, long BlobWrites, long BlobLists)
    {
        public long Total => PointReads + QueryPages + TableWrites + BlobReads + BlobWrites + BlobLists;
    }

    /// <summary>Counts every storage request sent (each retry too: storage serves each), by kind.</summary>
    private sealed class Counter
    {
        private long _pointReads, _queryPages, _tableWrites, _blobReads, _blobWrites, _blobLists;

        public void Reset() => (_pointReads, _queryPages, _tableWrites, _blobReads, _blobWrites, _blobLists) = (0, 0, 0, 0, 0, 0);

        public Requests Read() => new(Interlocked.Read(ref _pointReads), Interlocked.Read(ref _queryPages), Interlocked.Read(ref _tableWrites),
            Interlocked.Read(ref _blobReads), Interlocked.Read(ref _blobWrites), Interlocked.Read(ref _blobLists));

        public HttpPipelinePolicy Tables => new Policy(this, blob: false);
        public HttpPipelinePolicy Blobs => new Policy(this, blob: true);

        private sealed class Policy(Counter counter, bool blob) : HttpPipelineSynchronousPolicy
        {
            public override void OnSendingRequest(HttpMessage message)
            {
                var request = message.Request;
                var read = request.Method == RequestMethod.Get || request.Method == RequestMethod.Head;
                if (blob)
                {
                    if (read && request.Uri.Query.Contains("comp=list", StringComparison.Ordinal)) Interlocked.Increment(ref counter._blobLists);
                    else if (read) Interlocked.Increment(ref counter._blobReads);
                    else Interlocked.Increment(ref counter._blobWrites);
                }
                else if (read)
                {
                    // A point read addresses one entity, Table(PartitionKey='…',RowKey='…'); anything else read is a page of a query.
                    if (Uri.UnescapeDataString(request.Uri.Path).Contains("(PartitionKey=", StringComparison.Ordinal)) Interlocked.Increment(ref counter._pointReads);
                    else Interlocked.Increment(ref counter._queryPages);
                }
                else Interlocked.Increment(ref counter._tableWrites); // insert, upsert, an entity-group transaction ($batch: one request)
            }
        }
    }

    /// <summary>A clock shifted by a fixed offset: notes a warm-up day's changes "yesterday", out of the measured anchor's window.</summary>
    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }

    /// <summary>The hub's evidence classes over clients of one Azurite, wired as the app wires them.</summary>
    private sealed record Hub(LedgerStore Ledger, EvidenceChanges Changes, EvidenceChanges ChangesYesterday, EvidenceAnchors Anchors,
        EvidenceAnchors AnchorsNoOverlap, IncidentEvidence Evidence, Counter Counter)
    {
        public static async Task<Hub> CreateAsync(string connection, string signingKey)
        {
            var counter = new Counter();
            var tableOptions = new TableClientOptions();
            tableOptions.AddPolicy(counter.Tables, HttpPipelinePosition.PerRetry);
            var blobOptions = new BlobClientOptions();
            blobOptions.AddPolicy(counter.Blobs, HttpPipelinePosition.PerRetry);
            var tables = new TableServiceClient(connection, tableOptions);
            var blobs = new BlobServiceClient(connection, blobOptions);
            foreach (var table in StorageNames.Tables) await tables.CreateTableIfNotExistsAsync(table);
            foreach (var container in StorageNames.Containers) await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync();
            var ledger = new LedgerStore(tables);
            var changes = new EvidenceChanges(tables, TimeProvider.System);
            EvidenceAnchors Anchors(TimeSpan overlap) => new(ledger, changes, tables, blobs, Options.Create(new EvidenceOptions { SigningKey = signingKey, Overlap = overlap }),
                TimeProvider.System, NullLogger<EvidenceAnchors>.Instance);
            var anchors = Anchors(new EvidenceOptions().Overlap);
            var evidence = new IncidentEvidence(ledger, anchors, TimeProvider.System, NullLogger<IncidentEvidence>.Instance);
            return new Hub(ledger, changes, new EvidenceChanges(tables, new ShiftedTime(TimeSpan.FromDays(-1))), anchors, Anchors(TimeSpan.Zero), evidence, counter);
        }
    }

    private sealed record AnchorRun(int Incidents, long Leaves, double AnchorMs, Requests AnchorRequests, double BaselineBeforeMs, double BaselineAfterMs,
        Requests BaselineRequests, double SeedSeconds)
    {
        public double BaselineMs => (BaselineBeforeMs + BaselineAfterMs) / 2;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        int Option(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var incidents = Option("--incidents", 5_000);
        var events = Option("--events", 8);
        var anchorCount = Option("--anchors", 30);
        var history = Option("--history", 40);
        var others = Option("--others", 1_000);
        var runs = Option("--runs", 200);
        var span = Option("--span", 365);
        if (history < anchorCount) throw new ArgumentException("--history must be at least --anchors: each anchor holds the incident after a commit of at least one event.");
        var root = RepoRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run from inside the repository.");
        var executable = Azurite.FindExecutable(root) ?? throw new InvalidOperationException("Azurite is not installed: run `npm ci`.");
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingKey = signing.ExportPkcs8PrivateKeyPem();

        // 1. Anchoring a day, at two sizes, each on a fresh Azurite.
        var anchorRuns = new List<AnchorRun>();
        foreach (var size in new[] { Math.Max(1, incidents / 5), incidents })
        {
            await using var azurite = await Azurite.StartAsync(executable, DataFolder(), inMemory: true);
            anchorRuns.Add(await AnchorDayAsync(await Hub.CreateAsync(azurite.ConnectionString, signingKey), size, events));
        }

        // 2. Verifying one export, on a fresh Azurite.
        await using var verifyAzurite = await Azurite.StartAsync(executable, DataFolder(), inMemory: true);
        var (verify, spanned) = await VerifyExportsAsync(await Hub.CreateAsync(verifyAzurite.ConnectionString, signingKey), history, anchorCount, others, events, span, runs);

        var small = anchorRuns[0];
        var day = anchorRuns[^1];
        static string Row(AnchorRun r)
        {
            var a = r.AnchorRequests;
            var n = (double)r.Incidents;
            return $"| {r.Incidents:N0} | {r.Leaves:N0} | {r.AnchorMs:N0} | {r.AnchorMs / n:F2} | {a.Total:N0} | {a.Total / n:F3} | " +
                $"{a.PointReads:N0} | {a.QueryPages} | {a.TableWrites:N0} | {a.BlobReads} | {a.BlobWrites} | {a.BlobLists} | " +
                $"{r.BaselineBeforeMs:N0} / {r.BaselineAfterMs:N0} | {r.BaselineRequests.Total:N0} | **{r.AnchorMs / r.BaselineMs:F2}×** | **{(double)a.Total / r.BaselineRequests.Total:F2}×** |";
        }
        var perIncidentSmall = (double)small.AnchorRequests.Total / small.Incidents;
        var perIncidentDay = (double)day.AnchorRequests.Total / day.Incidents;
        var marginal = (double)(day.AnchorRequests.Total - small.AnchorRequests.Total) / (day.Incidents - small.Incidents);
        // Fixed per incident: one head read and one proof written each, the rest the same at both sizes but for a page of the
        // changes' query per 1,000 incidents.
        static long Besides(AnchorRun r) => r.AnchorRequests.Total - 2L * r.Incidents;
        static bool Fixed(AnchorRun r) => r.AnchorRequests.PointReads == r.Incidents + 1 && r.AnchorRequests.TableWrites == r.Incidents + 1
            && r.AnchorRequests.QueryPages <= r.Incidents / 1000 + 2;
        var fixedGoal = Fixed(small) && Fixed(day) && small.AnchorRequests with { PointReads = 0, TableWrites = 0, QueryPages = 0 } == day.AnchorRequests with { PointReads = 0, TableWrites = 0, QueryPages = 0 };
        var anchorGoal = day.AnchorMs < 60_000;
        var verifyGoal = verify.VerifyMs < 100;
        var cpu = CpuModel() is { } model ? $" ({model})" : "";
        var machine = $"{Environment.ProcessorCount} cores{cpu}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
        var command = $"dotnet build -c Release bench/NotifyHub.Bench && dotnet run -c Release --no-build --project bench/NotifyHub.Bench -- evidence --incidents {incidents} --events {events} " +
            $"--anchors {anchorCount} --history {history} --others {others} --span {span} --runs {runs}";
        static string VerifyRow(string what, VerifyRun v) =>
            $"| {what} | {v.Events} | {v.Anchors} | {v.Inclusions} × {v.PathLength:0.#} | {v.Bytes / 1024.0:F0} | {v.ExportRequests.Total} | {v.ExportMs:F0} | " +
            $"**{v.VerifyMs:F2}** | {v.VerifyP90:F2} | {v.VerifyMax:F2} | {v.ParseMs:F3} | {v.ParseP90:F3} | **{v.VerifyMs / v.ParseMs:F0}×** |";

        var results = $"""
            # Evidence benchmark

            Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {machine}, release build, Azurite in memory on loopback (a fresh one per measurement),
            the hub's own classes (`LedgerStore`, `EvidenceChanges`, `EvidenceAnchors`, `IncidentEvidence`, `EvidenceVerifier`) over the Azure SDK,
            a pipeline policy counting every storage request sent, by kind. Signing key: a P-256 key made for the run.

            Command: `{command}`

            ## Anchoring a day

            A day of incidents, each with {events} events committed through `LedgerStore.TryCommitAsync` (so every event's hash and every chain head is
            real) and noted in `EvidenceChanges` as the projector notes it. An anchor was made the day before (over 20 incidents noted then), so the
            measured one is a daily anchor like any other: it reads the changes since the last cutoff, not every incident ever noted. Then one
            `EvidenceAnchors.AnchorAsync`, timed, its storage requests counted. Seeding is not measured ({small.SeedSeconds:F0} s and {day.SeedSeconds:F0} s).

            **Baseline** (same run, same Azurite, same incidents): the cheapest pass conceivable over a day's incidents — one point read of each
            incident's chain head (`LedgerStore.ChainHeadAsync`), {Parallelism} at a time as the anchor reads them; timed just before and just after the
            anchor, the ratio taken against their mean.

            | incidents | leaves | anchor ms | ms per incident | requests | requests per incident | point reads | query pages | table writes | blob reads | blob writes | blob lists | baseline ms (before / after) | baseline requests | time ÷ baseline | requests ÷ baseline |
            |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
            {Row(small)}
            {Row(day)}

            - **{day.Incidents:N0} incidents ({day.Incidents * events:N0} events) anchored in {day.AnchorMs / 1000:F1} s** (goal: well under a minute — {(anchorGoal ? "met" : "NOT met")}),
              **{day.AnchorMs / day.BaselineMs:F2}×** the time of reading each incident's head once.
            - **Storage requests: {perIncidentSmall:F3} per incident at {small.Incidents:N0}, {perIncidentDay:F3} at {day.Incidents:N0}; {marginal:F3} for each incident more**
              (goal: a fixed number per incident — {(fixedGoal ? "met" : "NOT met")}). Exactly 2 per incident — its head's point read and its inclusion proof's upsert —
              and {Besides(small)} and {Besides(day)} besides: the list of the anchors' blobs, the last anchor's statement read, the point read that
              checks it was recorded, the page(s) of the day's `EvidenceChanges` query (1,000 rows to a page, in Azurite as in Azure), the two blobs
              written (leaves, then the signed statement) and the anchor's own row. **{(double)day.AnchorRequests.Total / day.BaselineRequests.Total:F2}×** the baseline's
              requests: the inclusion proofs are the other half.

            What the figures mean: anchoring costs what reading the heads and writing the proofs cost, and nothing else that grows; the Merkle
            tree, the signature and the proofs are computed in memory. The time is Azurite's — one Node.js process serving {Parallelism} requests at a
            time — and the anchor's writes (upserts of a proof row) cost it more than the baseline's point reads. Azure Table Storage serves point
            reads and single-entity upserts from the partition (one per incident), so there the time depends on the parallelism and the latency,
            not on the size of the tables. One request grows with the number of anchors there have ever been: the list of the anchors' blobs (two a
            day; 5,000 to a page, so a second page after about seven years).

            ## Verifying one export

            - **{verify.Anchors} anchors:** an incident of {history} events, committed in {anchorCount} steps ({history - anchorCount + 1} events, then one at a time) with an anchor
              after each, so {anchorCount} anchors hold it; each also holds {others:N0} other incidents (its proofs {verify.PathLength:0.#} hashes long on average, of at most {Math.Ceiling(Math.Log2(others + 1)):F0} in a tree of {others + 1:N0}; 13 in a day of 5,000).
            {(spanned is null ? "" : $"- **{spanned.Anchors} anchors:** an incident of {history} events changed on the first day and the last of {spanned.Anchors} daily anchors: two hold it, but its export holds every anchor between, for the anchors' chain (each anchor names the one before), and the verifier checks every signature. The personal-data purge (after 90 days by default) commits an event to every incident's ledger, so most exports span at least 90 anchors.")}

            Each exported with `IncidentEvidence.ExportAsync` (its storage requests: the events' query, the proofs' query, then each anchor's blob,
            16 at a time, in `EvidenceAnchors.ReadAsync`) and serialised to JSON text. Then {runs} runs of each, after 20 of warm-up, interleaved: `EvidenceVerifier.Verify(JsonNode.Parse(text), trustedKeys)`
            with the hub's public key as the only trusted one (outcome: {verify.Outcome}), and the **baseline**, `JsonNode.Parse(text)` alone.

            | export | events | anchors | proofs × hashes | JSON KB | export requests | export ms | parse + verify, median ms | p90 | max | parse alone (baseline), median ms | p90 | verify ÷ baseline |
            |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
            {VerifyRow($"held by {verify.Anchors} anchors", verify)}
            {(spanned is null ? "" : VerifyRow($"spanning {spanned.Anchors} anchors", spanned))}

            **Verifying one export of {history} events and {verify.Anchors} anchors: {verify.VerifyMs:F2} ms** (goal < 100 ms — {(verifyGoal ? "met" : "NOT met")}), **{verify.VerifyMs / verify.ParseMs:F0}×**
            parsing it alone: the events' hashes (each event's canonical JSON, SHA-256), an ECDSA P-256 signature per anchor and the inclusion proofs.
            {(spanned is null ? "" : SpanNote(verify, spanned))}

            Figures vary by ±20 % from run to run on this shared machine; compare the ratios within a run, not absolute figures across runs.
            """;
        var file = Path.Combine(root, "bench", "results", "evidence.md");
        await File.WriteAllTextAsync(file, results.Replace("\r", "") + "\n");
        Console.WriteLine($"wrote {file}");
        return anchorGoal && fixedGoal && verifyGoal ? 0 : 1;
    }

    /// <summary>What the export spanning many anchors shows: verifying grows with the anchors spanned (a signature each), and where it would reach 100 ms.</summary>
    private static string SpanNote(VerifyRun held, VerifyRun spanned)
    {
        var perAnchor = (spanned.VerifyMs - held.VerifyMs) / (spanned.Anchors - held.Anchors);
        var limit = perAnchor > 0 ? held.Anchors + (100 - held.VerifyMs) / perAnchor : double.PositiveInfinity;
        return $"Spanning {spanned.Anchors} anchors: {spanned.VerifyMs:F2} ms ({(spanned.VerifyMs < 100 ? "under" : "OVER")} 100 ms). Verifying grows with the anchors an export " +
            $"spans — about {perAnchor * 1000:F0} µs each, an ECDSA verification and a canonical serialisation — so on this machine 100 ms is reached at about " +
            $"{limit:N0} anchors, {limit / 365:F1} years of daily anchors between an incident's first change and its last. The export grows the same way " +
            $"({spanned.Bytes / 1024.0:F0} KB, {spanned.ExportRequests.Total} storage requests, the anchors' blobs read 16 at a time, {spanned.ExportMs:F0} ms here).";
    }

    private static string DataFolder() => Path.Combine(Path.GetTempPath(), "notifyhub-bench-" + Guid.NewGuid().ToString("N")[..8]);

    private static string? CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Seeds a day of <paramref name="size"/> incidents after a day before (anchored), then anchors the day, the baseline either side.</summary>
    private static async Task<AnchorRun> AnchorDayAsync(Hub hub, int size, int events)
    {
        var seedClock = Stopwatch.StartNew();
        // The day before: a few incidents, noted yesterday and anchored (this also warms up every path the anchor takes).
        await SeedAsync(hub.Ledger, hub.ChangesYesterday, 20, events);
        var before = await hub.Anchors.AnchorAsync(default);
        if (before.Leaves != 20) throw new InvalidOperationException($"the day before's anchor should hold 20 incidents, not {before.Leaves}");
        var ids = await SeedAsync(hub.Ledger, hub.Changes, size, events);
        seedClock.Stop();
        Console.WriteLine($"{size} incidents: seeded {size * events} events in {seedClock.Elapsed.TotalSeconds:F0} s");

        await HeadsAsync(hub.Ledger, ids); // warm-up
        var (baselineBefore, baselineRequests) = await MeasureAsync(hub.Counter, () => HeadsAsync(hub.Ledger, ids));
        AnchorMade? made = null;
        var (anchorMs, anchorRequests) = await MeasureAsync(hub.Counter, async () => made = await hub.Anchors.AnchorAsync(default));
        var (baselineAfter, _) = await MeasureAsync(hub.Counter, () => HeadsAsync(hub.Ledger, ids));
        if (made!.Leaves != size) throw new InvalidOperationException($"the anchor should hold the day's {size} incidents, not {made.Leaves}");
        Console.WriteLine($"{size} incidents: anchor {anchorMs:F0} ms, {anchorRequests}; baseline {baselineBefore:F0} / {baselineAfter:F0} ms, {baselineRequests.Total} requests");
        return new AnchorRun(size, made.Leaves, anchorMs, anchorRequests, baselineBefore, baselineAfter, baselineRequests, seedClock.Elapsed.TotalSeconds);
    }

    private static async Task<(double Ms, Requests Requests)> MeasureAsync(Counter counter, Func<Task> run)
    {
        counter.Reset();
        var clock = Stopwatch.StartNew();
        await run();
        clock.Stop();
        return (clock.Elapsed.TotalMilliseconds, counter.Read());
    }

    /// <summary>The baseline: each incident's chain head, one point read each.</summary>
    private static async Task HeadsAsync(LedgerStore ledger, IReadOnlyList<string> ids) =>
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (id, ct) =>
        {
            if (await ledger.ChainHeadAsync(id, ct) is null) throw new InvalidOperationException($"{id} has no chain head");
        });

    private static List<string> NewIds(int count) => [.. Enumerable.Range(0, count).Select(_ => "inc_" + Guid.CreateVersion7().ToString("N"))];

    private static Task<List<string>> SeedAsync(LedgerStore ledger, EvidenceChanges changes, int count, int events) => SeedAsync(ledger, changes, NewIds(count), events);

    private static async Task<List<string>> SeedAsync(LedgerStore ledger, EvidenceChanges changes, List<string> ids, int events)
    {
        var at = DateTimeOffset.UtcNow.AddHours(-6);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (id, ct) =>
        {
            await CommitAsync(ledger, IncidentLedger.Empty(id), 0, events, at, ct);
            await changes.NoteAsync(id, ct);
        });
        return ids;
    }

    private static readonly IncidentFacts Facts = new("SYN", "SYN-0001", "840", "medium", DateTimeOffset.UtcNow.AddHours(-7), DateTimeOffset.UtcNow.AddHours(-8),
        DateTimeOffset.UtcNow.AddHours(-7), DateTimeOffset.UtcNow.AddHours(-6));

    /// <summary>Commits events <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> − 1 of an incident's synthetic history.</summary>
    private static async Task<IncidentLedger> CommitAsync(LedgerStore ledger, IncidentLedger current, int from, int count, DateTimeOffset at, CancellationToken ct)
    {
        var write = new LedgerWrite { Facts = current.Exists ? null : Facts };
        for (var k = from; k < from + count; k++) write.Events.Add(Event(k, at.AddSeconds(k)));
        var committed = await ledger.TryCommitAsync(current, write, at.AddSeconds(from + count), ct)
            ?? throw new InvalidOperationException($"{current.IncidentId}: the commit met another writer");
        return committed.After;
    }

    /// <summary>The k-th event of a synthetic incident: routed to a school, an NPS SPOC and the MASH, then each delivered and acknowledged.</summary>
    private static LedgerEvent Event(int k, DateTimeOffset at)
    {
        var (recipient, rule) = ((k / 8) % 3) switch
        {
            0 => ("school-100001", "operation-encompass"),
            1 => ("nps-spoc-1", "nps-mappa"),
            _ => ("mash-840", "mash"),
        };
        return (k % 8) switch
        {
            0 => LedgerEvent.Of(LedgerEventTypes.DeliveryRouted, at, recipient, ("rule", rule)),
            1 => LedgerEvent.Of(LedgerEventTypes.AttemptStarted, at, recipient, ("attempt", (long)(k / 8 + 1)), ("channel", "webhook")),
            2 => LedgerEvent.Of(LedgerEventTypes.AttemptEnded, at, recipient, ("attempt", (long)(k / 8 + 1)), ("outcome", "delivered"), ("status", 204L)),
            3 => LedgerEvent.Of(LedgerEventTypes.Delivered, at, recipient, ("channel", "webhook")),
            4 => LedgerEvent.Of(LedgerEventTypes.Opened, at, recipient, ("by", "inbox")),
            5 => LedgerEvent.Of(LedgerEventTypes.Acknowledged, at, recipient, ("role", "DSL"), ("late", false)),
            6 => LedgerEvent.Of(LedgerEventTypes.ReminderSent, at, recipient, ("step", (long)(k / 8 + 1))),
            _ => LedgerEvent.Of(LedgerEventTypes.MarkedLate, at, recipient, ("dueAt", at.AddHours(-1))),
        };
    }

    private sealed record VerifyRun(string Outcome, int Events, int Anchors, int Inclusions, double PathLength, double ExportMs, Requests ExportRequests, int Bytes,
        double VerifyMs, double VerifyP90, double VerifyMax, double ParseMs, double ParseP90, double ParseMax);

    /// <summary>
    /// The export of an incident of <paramref name="history"/> events held by <paramref name="anchorCount"/> anchors (each also
    /// holding <paramref name="others"/> other incidents), and, when <paramref name="span"/> is more than 1, of one whose record
    /// spans that many anchors (changed on the first and the last): each exported and timed verifying.
    /// </summary>
    private static async Task<(VerifyRun Held, VerifyRun? Span)> VerifyExportsAsync(Hub hub, int history, int anchorCount, int others, int events, int span, int runs)
    {
        var setup = Stopwatch.StartNew();
        // The incident's leaf in the middle of the others' (leaves are in id order; an id made after the others' would sort last, where a
        // proof is shortest).
        var all = NewIds(others + 1).Order(StringComparer.Ordinal).ToList();
        var id = all[others / 2];
        var otherIds = await SeedAsync(hub.Ledger, hub.Changes, [.. all.Where(i => i != id)], events);
        var at = DateTimeOffset.UtcNow.AddDays(-anchorCount);
        var ledger = IncidentLedger.Empty(id);
        var next = 0;
        for (var n = 1; n <= anchorCount; n++)
        {
            // The incident's history so far, then the incident and the others noted, and an anchor.
            var count = n == 1 ? history - anchorCount + 1 : 1;
            ledger = await CommitAsync(hub.Ledger, ledger, next, count, at.AddDays(n), default);
            next += count;
            await NoteAsync(hub.Changes, otherIds.Append(id));
            var made = await hub.Anchors.AnchorAsync(default);
            if (made.Number != n || made.Leaves != others + 1) throw new InvalidOperationException($"anchor {made.Number} should be {n} and hold {others + 1} incidents, not {made.Leaves}");
        }
        Console.WriteLine($"verify: {anchorCount} anchors over {others + 1} incidents made in {setup.Elapsed.TotalSeconds:F0} s");
        var held = await ExportAndVerifyAsync(hub, id, runs);
        if (held.Events != history || held.Anchors != anchorCount || held.Inclusions != anchorCount)
            throw new InvalidOperationException($"the export should hold {history} events, {anchorCount} anchors and as many proofs: {held}");
        if (span < 2) return (held, null);

        // An incident changed on the first day and the last of a long span: its export holds every anchor between (the anchors'
        // chain), though only two hold it. Anchored with no overlap, so that each anchor holds only what changed since the one before.
        setup.Restart();
        var fillers = await SeedAsync(hub.Ledger, hub.ChangesYesterday, 3, events);
        var spanned = "inc_" + Guid.CreateVersion7().ToString("N");
        var spannedLedger = await CommitAsync(hub.Ledger, IncidentLedger.Empty(spanned), 0, history - 1, at, default);
        for (var n = 1; n <= span; n++)
        {
            if (n == span) spannedLedger = await CommitAsync(hub.Ledger, spannedLedger, history - 1, 1, at.AddDays(span), default);
            await NoteAsync(hub.Changes, n == 1 || n == span ? fillers.Append(spanned) : fillers);
            var made = await hub.AnchorsNoOverlap.AnchorAsync(default);
            var expected = n == 1 || n == span ? 4 : 3;
            if (made.Leaves != expected) throw new InvalidOperationException($"anchor {made.Number} should hold {expected} incidents, not {made.Leaves}");
        }
        Console.WriteLine($"verify: {span} more anchors made in {setup.Elapsed.TotalSeconds:F0} s");
        var spanRun = await ExportAndVerifyAsync(hub, spanned, runs);
        if (spanRun.Events != history || spanRun.Anchors != span || spanRun.Inclusions != 2)
            throw new InvalidOperationException($"the export should hold {history} events, {span} anchors and 2 proofs: {spanRun}");
        return (held, spanRun);
    }

    private static async Task NoteAsync(EvidenceChanges changes, IEnumerable<string> ids) =>
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) => await changes.NoteAsync(i, ct));

    /// <summary>Exports the incident's evidence (counted, timed), then times verifying its JSON text against parsing it alone.</summary>
    private static async Task<VerifyRun> ExportAndVerifyAsync(Hub hub, string id, int runs)
    {
        JsonObject? export = null;
        var (exportMs, exportRequests) = await MeasureAsync(hub.Counter, async () => export = await hub.Evidence.ExportAsync(id, "SYN", "SYN-0001", default));
        var text = export!.ToJsonString();
        var (key, problem) = EvidenceSignature.ReadPublic(hub.Anchors.PublicKeys[hub.Anchors.KeyId]);
        var trusted = new Dictionary<string, ECDsa>(StringComparer.Ordinal) { [hub.Anchors.KeyId] = key ?? throw new InvalidOperationException(problem) };

        var report = EvidenceVerifier.Verify(JsonNode.Parse(text), trusted);
        if (report.Outcome != VerifyOutcome.Verified) throw new InvalidOperationException($"the export should verify: {report.Outcome} {report.Failure}");
        var exported = JsonNode.Parse(text)!;
        var inclusions = exported["inclusions"]!.AsArray();
        var pathLength = inclusions.Average(i => i!["path"]!.AsArray().Count);

        // Interleaved, so that a noisy moment on a shared machine falls on both alike; the first 20 of each warm up.
        var verify = new List<double>();
        var parse = new List<double>();
        var sink = 0;
        for (var i = 0; i < runs + 20; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sink += JsonNode.Parse(text) is JsonObject ? 1 : 0;
            var parsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            sink += EvidenceVerifier.Verify(JsonNode.Parse(text), trusted).Outcome == VerifyOutcome.Verified ? 1 : 0;
            var verified = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (i < 20) continue;
            parse.Add(parsed);
            verify.Add(verified);
        }
        if (sink != 2 * (runs + 20)) throw new InvalidOperationException("every run should parse and verify");
        static double Quantile(List<double> samples, double q) => samples.Order().ElementAt(Math.Clamp((int)Math.Ceiling(q * samples.Count) - 1, 0, samples.Count - 1));
        var run = new VerifyRun(report.Outcome.ToString(), exported["events"]!.AsArray().Count, exported["anchors"]!.AsArray().Count, inclusions.Count, pathLength,
            exportMs, exportRequests, System.Text.Encoding.UTF8.GetByteCount(text), Quantile(verify, 0.5), Quantile(verify, 0.9), verify.Max(),
            Quantile(parse, 0.5), Quantile(parse, 0.9), parse.Max());
        Console.WriteLine($"verify: {run.Anchors} anchors, {run.VerifyMs:F3} ms, parse alone {run.ParseMs:F3} ms ({run.Bytes} bytes; export {exportMs:F0} ms, {exportRequests.Total} requests)");
        return run;
    }
}
