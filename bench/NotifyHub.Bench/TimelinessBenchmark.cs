using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Delivery;
using NotifyHub.Ledger;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Storage;
using NotifyHub.Domain;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Storage;
using NotifyHub.Telemetry;
using NotifyHub.Timeliness;

namespace NotifyHub.Bench;

/// <summary>
/// dotnet run -c Release --project bench/NotifyHub.Bench -- timeliness [--history 100000] [--deliveries 250000] [--las 10]
/// Two figures, each a ratio measured in one run against its own Azurite (in-memory), through the hub's own classes and
/// the Azure SDK (the HTTP hop in front of them is the same for both sides of each ratio):
/// 1. SlaMonitor's storage requests for a window of due deliveries with 1,000 and with --history historical deliveries
///    behind it (the awaiting view should make them the same);
/// 2. a quarterly timeliness report over --deliveries deliveries read from the rollups, against the same report computed
///    from the raw records on the ledger (a scan), which is what the rollups replace.
/// Writes bench/results/timeliness.md.
/// </summary>
public static class TimelinessBenchmark
{
    private sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        public int Requests;
        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref Requests);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        int Option(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var history = Option("--history", 100_000);
        var deliveries = Option("--deliveries", 250_000);
        var lasCount = Option("--las", 10);
        var root = RepoRoot.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run from inside the repository.");
        var executable = Azurite.FindExecutable(root) ?? throw new InvalidOperationException("Azurite is not installed: run `npm ci`.");

        var sla = new List<(int History, int Requests, double Ms)>();
        foreach (var size in new[] { 1_000, history })
        {
            await using var azurite = await Azurite.StartAsync(executable, Path.Combine(Path.GetTempPath(), "notifyhub-bench-" + Guid.NewGuid().ToString("N")[..8]), inMemory: true);
            sla.Add(await MonitorAsync(azurite.ConnectionString, size));
            Console.WriteLine($"SlaMonitor with {size} historical deliveries: {sla[^1].Requests} requests, {sla[^1].Ms:F1} ms");
        }

        await using var reportAzurite = await Azurite.StartAsync(executable, Path.Combine(Path.GetTempPath(), "notifyhub-bench-" + Guid.NewGuid().ToString("N")[..8]), inMemory: true);
        var (rollupMs, rawMs, rollupRequests, rawRequests, checkedEqual) = await ReportAsync(reportAzurite.ConnectionString, deliveries, lasCount);
        Console.WriteLine($"report: rollups {rollupMs:F0} ms ({rollupRequests} requests), raw {rawMs:F0} ms ({rawRequests} requests), same answer: {checkedEqual}");

        var results = $"""
            # Timeliness benchmark

            Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, release build, Azurite in memory (a fresh one per measurement), the hub's own classes over the Azure SDK.

            Command: `dotnet build -c Release NotifyHub.sln && dotnet run -c Release --no-build --project bench/NotifyHub.Bench -- timeliness --history {history} --deliveries {deliveries} --las {lasCount}`

            ## SlaMonitor: storage reads do not grow with history

            One run of the monitor over a window holding 50 due deliveries not acknowledged (5 incidents of 10, routed through the ledger; the
            run marks each late: a commit per incident and its apply), with 1,000 and with {history:N0} historical deliveries on the ledger
            (judged over the previous 90 days, so off the awaiting view). Median of 5 runs.

            | historical deliveries | storage requests per run | ms per run |
            |---:|---:|---:|
            | {sla[0].History:N0} | {sla[0].Requests} | {sla[0].Ms:F1} |
            | {sla[1].History:N0} | {sla[1].Requests} | {sla[1].Ms:F1} |

            **Storage requests: {(double)sla[1].Requests / sla[0].Requests:F2}× apart** (goal ≤ 1.1×); time {sla[1].Ms / sla[0].Ms:F2}× apart.
            The monitor reads the awaiting view's due rows (one range query) and each due incident's ledger: a judged delivery leaves the view,
            so nothing it reads depends on how many deliveries came before.

            ## A quarterly report over {deliveries:N0} deliveries

            {deliveries:N0} deliveries over 91 days in {lasCount} local authorities (about {deliveries / (91 * lasCount)} per LA and day), the
            report grouped by recipient type and week over all {lasCount} LAs. Median of 5 runs from the rollups; from the raw rows, one run.

            | read from | storage requests | ms |
            |---|---:|---:|
            | rollups (table `Rollups`, one row per LA and day) | {rollupRequests} | {rollupMs:F0} |
            | raw records (table `Ledger`, a scan) | {rawRequests} | {rawMs:F0} |

            **From the rollups: {rollupMs:F0} ms** (goal < 1 s), **{rawMs / rollupMs:F1}× faster** than from the raw rows (goal ≥ 20×). Both gave the same report: {checkedEqual}.
            """;
        var file = Path.Combine(root, "bench", "results", "timeliness.md");
        await File.WriteAllTextAsync(file, results.Replace("\r", "") + "\n");
        Console.WriteLine($"wrote {file}");
        return 0;
    }

    private static (TableServiceClient Tables, QueueServiceClient Queues, CountingPolicy Counter) Clients(string connection)
    {
        var counter = new CountingPolicy();
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
        return (new TableServiceClient(connection, tableOptions), new QueueServiceClient(connection, queueOptions), counter);
    }

    /// <summary>The hub's ledger, projector and monitor over these clients, wired as the app wires them.</summary>
    private static (LedgerWriter Writer, LatenessMonitor Monitor) Hub(TableServiceClient tables, QueueServiceClient queues)
    {
        var store = new LedgerStore(tables);
        var hints = new ProjectionHints(tables, TimeProvider.System);
        var projector = new Projector(store, new RowViewWriter(tables), new RollupView(new RollupStore(tables)), new Dispatcher(queues, TimeProvider.System), hints,
            new NotifyHub.Evidence.EvidenceChanges(tables, TimeProvider.System),
            NullLogger<Projector>.Instance);
        var writer = new LedgerWriter(store, projector, hints, TimeProvider.System, NullLogger<LedgerWriter>.Instance);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new HubMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        return (writer, new LatenessMonitor(new SlaStore(tables), writer, projector, metrics, TimeProvider.System, NullLogger<LatenessMonitor>.Instance));
    }

    private static async Task<(int History, int Requests, double Ms)> MonitorAsync(string connection, int history)
    {
        var (tables, queues, counter) = Clients(connection);
        foreach (var table in StorageNames.Tables) await tables.CreateTableIfNotExistsAsync(table);
        foreach (var queue in StorageNames.Queues) await queues.GetQueueClient(queue).CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        var (writer, monitor) = Hub(tables, queues);

        // History: deliveries judged over the last 90 days (acknowledged in time, or marked late), on the ledger as the hub leaves
        // them — 100 to an incident — and so off the awaiting view.
        await SeedHistoryAsync(tables, history, i => now.AddMinutes(-2).AddSeconds(-(double)i / history * 90 * 86400));

        var runs = new List<(int, double)>();
        for (var i = 0; i < 6; i++)
        {
            // The window: 50 deliveries (5 incidents of 10) due in the last minute and not acknowledged, routed through the ledger.
            for (var n = 0; n < 5; n++) await RouteAsync(writer, 10, now.AddSeconds(-55 + n));
            counter.Requests = 0;
            var clock = Stopwatch.StartNew();
            var run = await monitor.RunAsync(asOf: now, default);
            clock.Stop();
            if (run.Due != 50 || run.MarkedLate != 50) throw new InvalidOperationException($"the window should hold 50 deliveries to mark late: {run}");
            if (i > 0) runs.Add((counter.Requests, clock.Elapsed.TotalMilliseconds)); // the first run warms up
        }
        return (history, (int)runs.Select(r => r.Item1).Order().ElementAt(2), runs.Select(r => r.Item2).Order().ElementAt(2));
    }

    private static readonly IncidentFacts Facts = new("SYN", "SYN-0001", "840", "medium", DateTimeOffset.UtcNow.AddHours(-12), DateTimeOffset.UtcNow.AddHours(-13),
        null, DateTimeOffset.UtcNow.AddHours(-12));

    /// <summary>An incident routed to <paramref name="count"/> schools due at <paramref name="dueAt"/>, committed and applied as routing does.</summary>
    private static async Task RouteAsync(LedgerWriter writer, int count, DateTimeOffset dueAt)
    {
        var incident = "inc_" + Guid.CreateVersion7().ToString("N");
        await writer.ChangeAsync(incident, LedgerParts.Unrouted, null, _ =>
        {
            var write = new LedgerWrite { Facts = Facts };
            for (var r = 0; r < count; r++)
            {
                write.Add(DeliveryChanges.Route(DeliveryRecord.New(incident, $"school-{100000 + r:D6}", "school", "Synthetic School", "operation-encompass", [0], [], 0,
                    "SYN", "SYN-0001", new DueInfo(dueAt, "next-school-day", false), dueAt.AddHours(-10))));
            }
            return write;
        }, LedgerWriter.Options.Retried, default);
    }

    private static async Task SeedHistoryAsync(TableServiceClient tables, int count, Func<int, DateTimeOffset> dueAt)
    {
        var ledger = tables.GetTableClient(StorageNames.LedgerTable);
        var batch = new List<TableTransactionAction>();
        var incident = "";
        for (var i = 0; i < count; i++)
        {
            if (i % 99 == 0)
            {
                if (batch.Count > 0) await ledger.SubmitTransactionAsync(batch);
                batch.Clear();
                incident = "inc_" + Guid.CreateVersion7().ToString("N");
                batch.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(incident, LedgerStore.Head) { ["Version"] = 0L, ["La"] = "840" }));
            }
            var due = dueAt(i);
            var late = i % 10 == 0;
            batch.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(incident, $"dl|school-{100000 + i % 99:D6}")
            {
                ["RecipientType"] = "school", ["RecipientName"] = "Synthetic School", ["Status"] = "acknowledged", ["Channels"] = "inbox",
                ["CreatedAt"] = due.AddHours(-10), ["DeliveredAt"] = due.AddHours(-9), ["AckName"] = "A", ["AckRole"] = "DSL",
                ["AckAt"] = late ? due.AddHours(2) : due.AddHours(-8), ["LateAt"] = late ? due.AddMinutes(1) : null, ["DueAt"] = due,
            }));
        }
        if (batch.Count > 0) await ledger.SubmitTransactionAsync(batch);
    }

    private static async Task<(double RollupMs, double RawMs, int RollupRequests, int RawRequests, bool Same)> ReportAsync(string connection, int count, int lasCount)
    {
        var (tables, _, counter) = Clients(connection);
        foreach (var table in StorageNames.Tables) await tables.CreateTableIfNotExistsAsync(table);
        var las = Enumerable.Range(0, lasCount).Select(i => (800 + i).ToString(CultureInfo.InvariantCulture)).ToList();
        var to = UkTime.DateOf(DateTimeOffset.UtcNow);
        var from = to.AddDays(-90);
        var types = new[] { "school", "health-visiting-team", "school-nursing-team", "midwifery-team", "nps-spoc", "crc-spoc", "yos-team", "mash" };
        var random = new Random(42);
        var content = new byte[1024];
        random.NextBytes(content);
        var facts = new List<ShareFact>();
        var ledgerTable = tables.GetTableClient(StorageNames.LedgerTable);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i += 5)
        {
            // An incident with five deliveries, like the example.
            var la = las[random.Next(las.Count)];
            var reported = new DateTimeOffset(from.AddDays(random.Next(91)).ToDateTime(new TimeOnly(random.Next(24), random.Next(60))), TimeSpan.Zero);
            var incident = "inc_" + Guid.CreateVersion7().ToString("N");
            var incidentFacts = new IncidentFacts("SYN", $"SYN-{i}", la, "medium", reported, reported.AddMinutes(-30), reported.AddMinutes(40), reported.AddMinutes(50));
            var batch = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new TableEntity(incident, LedgerStore.Head)
                {
                    ["Version"] = 5L, ["ForceCode"] = "SYN", ["IncidentReference"] = $"SYN-{i}", ["La"] = la, ["RiskLevel"] = "medium", ["ReportedAt"] = reported,
                    ["OccurredAt"] = reported.AddMinutes(-30), ["AttendedAt"] = reported.AddMinutes(40), ["ReceivedAt"] = reported.AddMinutes(50),
                }),
            };
            var recipients = new HashSet<string>();
            for (var d = 0; d < 5 && i + d < count; d++)
            {
                var type = types[random.Next(types.Length)];
                var recipient = $"{type}-{random.Next(200)}";
                if (!recipients.Add(recipient)) continue;
                var due = reported.AddHours(random.Next(1, 40));
                var ack = reported.AddHours(random.Next(1, 48));
                var row = new TableEntity(incident, "dl|" + recipient)
                {
                    ["RecipientType"] = type, ["RecipientName"] = "Synthetic " + type, ["Status"] = "acknowledged", ["Channels"] = "inbox",
                    ["CreatedAt"] = reported.AddMinutes(50), ["DueAt"] = due, ["DeliveredAt"] = reported.AddMinutes(51), ["AckName"] = "A", ["AckRole"] = "DSL",
                    ["AckAt"] = ack,
                };
                var contentRow = new TableEntity(incident, "ct|" + recipient);
                LargeBinary.Write(contentRow, "Content", content);
                batch.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
                batch.Add(new TableTransactionAction(TableTransactionActionType.Add, contentRow));
            }
            await ledgerTable.SubmitTransactionAsync(batch);
            var seeded = LedgerStore.Read(incident, batch.Select(b => (TableEntity)b.Entity).ToList());
            facts.AddRange(seeded.Deliveries.Values.Select(d => ShareFacts.OfDelivery(d, incidentFacts, 5)));
            if (i % 25_000 == 0) Console.WriteLine($"seeded {i} deliveries ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        var rollups = new RollupStore(tables);
        await rollups.RecordAsync(facts, default);
        Console.WriteLine($"seeded {facts.Count} deliveries and their rollups in {clock.Elapsed.TotalSeconds:F0} s");

        var reader = new ReportReader(rollups, TimeProvider.System);
        var query = new ReportQuery(from, to, ReportDimensions.RecipientType, ReportDimensions.Week);
        var timings = new List<double>();
        TimelinessReport? fromRollups = null;
        var rollupRequests = 0;
        for (var run = 0; run < 6; run++)
        {
            counter.Requests = 0;
            var watch = Stopwatch.StartNew();
            fromRollups = await reader.TimelinessAsync(new Scope(las, null), query, default);
            watch.Stop();
            if (run > 0) timings.Add(watch.Elapsed.TotalMilliseconds);
            rollupRequests = counter.Requests;
        }

        counter.Requests = 0;
        var rawWatch = Stopwatch.StartNew();
        var rawFacts = await RawFactsAsync(ledgerTable);
        var fromRaw = TimelinessReports.Compute(rawFacts.Where(f => las.Contains(f.La)), query, las, DateTimeOffset.UtcNow);
        rawWatch.Stop();
        var same = System.Text.Json.JsonSerializer.Serialize(fromRollups!.Groups) == System.Text.Json.JsonSerializer.Serialize(fromRaw.Groups);
        return (timings.Order().ElementAt(2), rawWatch.Elapsed.TotalMilliseconds, rollupRequests, counter.Requests, same);
    }

    /// <summary>The facts from the raw records: a scan of the ledger, each incident's rows read as the hub reads them.</summary>
    private static async Task<List<ShareFact>> RawFactsAsync(TableClient ledgerTable)
    {
        var facts = new List<ShareFact>();
        var rows = new List<TableEntity>();
        void Flush()
        {
            if (rows.Count == 0) return;
            var ledger = LedgerStore.Read(rows[0].PartitionKey, rows);
            if (ledger.Facts is { } incident) facts.AddRange(ledger.Deliveries.Values.Select(d => ShareFacts.OfDelivery(d, incident, ledger.Version)));
            rows.Clear();
        }
        await foreach (var row in ledgerTable.QueryAsync<TableEntity>(maxPerPage: 1000))
        {
            if (rows.Count > 0 && rows[0].PartitionKey != row.PartitionKey) Flush();
            rows.Add(row);
        }
        Flush();
        return facts;
    }
}
