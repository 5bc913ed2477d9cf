using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using NotifyHub.Auth;
using NotifyHub.DevHost;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Storage;

namespace NotifyHub.Bench;

/// <summary>
/// Accepted incidents per second and p50/p99 latency of POST /api/incidents through the DevHost and the
/// isolated worker, against a baseline measured in the same run on the same Azurite: the raw storage work
/// of one incident (one table insert + one queue send with the SDK). Also the cold start: from starting
/// the DevHost on the built app to the first 200. Writes bench/results/ingest.md.
/// </summary>
public static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var requests = IntArg(args, "--requests", 2000);
        // Short interleaved rounds, so that a noisy moment on a shared machine falls on both sides alike.
        var rounds = Math.Max(1, IntArg(args, "--rounds", 8));
        var concurrency = IntArg(args, "--concurrency", 8);
        var warmup = IntArg(args, "--warmup", 1000);
        // Azurite keeps data on disk by default and stalls while it saves; --on-disk measures that too.
        var inMemory = !args.Contains("--on-disk");
        var root = RepoRoot.Find(Directory.GetCurrentDirectory()) ?? throw new InvalidOperationException("Run from inside the NotifyHub repository.");
        var configuration = typeof(IngestBenchmark).Assembly.Location.Contains("/release/", StringComparison.Ordinal) ? "release" : "debug";
        var scriptRoot = StringArg(args, "--app") ?? Path.Combine(root, "artifacts", "bin", "NotifyHub.Functions", configuration);

        var folder = Path.Combine(Path.GetTempPath(), "notifyhub-bench-" + Guid.NewGuid().ToString("N")[..8]);
        await using var azurite = await Azurite.StartAsync(Azurite.FindExecutable(root)
            ?? throw new InvalidOperationException("Run `npm ci` first: Azurite is not installed."), folder, inMemory: inMemory);
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync("ApiKeys");
        var admin = await new ApiKeyStore(tables, TimeProvider.System).IssueAsync("bench-admin", Roles.Admin, null, default);

        Console.WriteLine($"Cold starts ({ColdStarts})...");
        var coldStarts = new List<ColdStart>();
        for (var i = 0; i < ColdStarts; i++) coldStarts.Add(await MeasureColdStartAsync(scriptRoot, azurite.ConnectionString, admin.Secret));

        await using var host = await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = scriptRoot,
            HttpPort = 0,
            StorageConnectionString = azurite.ConnectionString,
            HostId = "bench",
            // Ingest alone: the router and its downstream functions would compete for the same two cores.
            Functions = ["IngestIncident", "CreateOrganisation", "IssueApiKey"],
            AppSettings = Settings,
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var forceKey = await CreateForceAsync(http, admin.Secret);

        var template = ExampleTemplate(root);
        var templateJson = template.ToJsonString();

        // Baseline: the storage work of one incident, done directly with the SDK.
        var baselineTable = tables.GetTableClient("BenchBaseline");
        await baselineTable.CreateIfNotExistsAsync();
        var baselineQueue = new QueueClient(azurite.ConnectionString, "bench-baseline", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await baselineQueue.CreateIfNotExistsAsync();
        var payload = Encoding.UTF8.GetBytes(template.ToJsonString());
        async Task Baseline(int i, string run)
        {
            await baselineTable.AddEntityAsync(new TableEntity("BENCH", $"{run}-{i}") { ["Payload0"] = payload, ["IncidentId"] = Guid.NewGuid().ToString("N") });
            await baselineQueue.SendMessageAsync(BinaryData.FromString($$"""{"incidentId":"{{i}}","forceCode":"BENCH","incidentReference":"{{run}}-{{i}}"}"""));
        }

        // Diagnostic, not the baseline: the very storage requests an accepted incident costs the hub (a
        // two-entity transaction of the incident and its pending row, then the queue send), direct with the SDK. The gap between this
        // and ingest is what HTTP, the DevHost and the worker add.
        var sameStorageTable = tables.GetTableClient("BenchSameStorage");
        await sameStorageTable.CreateIfNotExistsAsync();
        var sameStorageQueue = new QueueClient(azurite.ConnectionString, "bench-same-storage", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await sameStorageQueue.CreateIfNotExistsAsync();
        async Task SameStorage(int i, string run)
        {
            // Tables and queues of its own: each side's tables grow alike, and this one's rows do not slow the baseline's.
            await sameStorageTable.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("BENCH", $"i:{run}-{i}") { ["Payload0"] = payload, ["IncidentId"] = Guid.NewGuid().ToString("N") }),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("BENCH", $"p:{run}-{i}") { ["IncidentId"] = "x" }),
            ]);
            await sameStorageQueue.SendMessageAsync(BinaryData.FromString($$"""{"incidentId":"{{i}}","forceCode":"BENCH","incidentReference":"{{run}}-{{i}}"}"""));
        }

        async Task Ingest(int i, string run)
        {
            var body = templateJson.Replace("__REFERENCE__", $"{run}-{i}", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Api-Key", forceKey);
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"Incident {i} was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Console.WriteLine($"Warming up ({warmup} of each)...");
        await Latencies.MeasureAsync("warm-baseline", warmup, concurrency, i => Baseline(i, "warm"));
        await Latencies.MeasureAsync("warm-ingest", warmup, concurrency, i => Ingest(i, "WARM"));
        await Latencies.MeasureAsync("warm-same-storage", warmup, concurrency, i => SameStorage(i, "warm"));

        // Interleave the two so that machine noise falls on both alike.
        var baselineRuns = new List<Latencies>();
        var ingestRuns = new List<Latencies>();
        var sameStorageRuns = new List<Latencies>();
        for (var round = 0; round < rounds; round++)
        {
            baselineRuns.Add(await Latencies.MeasureAsync("baseline", requests / rounds, concurrency, i => Baseline(i, "b" + round)));
            ingestRuns.Add(await Latencies.MeasureAsync("ingest", requests / rounds, concurrency, i => Ingest(i, "I" + round)));
            sameStorageRuns.Add(await Latencies.MeasureAsync("same-storage", requests / rounds, concurrency, i => SameStorage(i, "s" + round)));
        }
        var baseline = Merge("baseline: table insert + queue send (SDK)", baselineRuns);
        var ingest = Merge("POST /api/incidents through the DevHost", ingestRuns);
        var sameStorage = Merge("diagnostic: ingest's own storage requests (transaction + send, SDK)", sameStorageRuns);

        var report = Report(baseline, ingest, sameStorage, coldStarts, requests, rounds, warmup, concurrency, configuration, inMemory);
        Console.WriteLine(report);
        var results = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, ResultsFile(inMemory)), report);
        Console.WriteLine($"Written to {Path.Combine(results, ResultsFile(inMemory))}");
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        return 0;
    }

    private static string ResultsFile(bool inMemory) => inMemory ? "ingest.md" : "ingest-on-disk.md";

    private const int ColdStarts = 5;

    /// <summary>What a published app gets from its configuration rather than local.settings.json.</summary>
    internal static readonly Dictionary<string, string?> Settings = new()
    {
        ["Routing__ChildIdentityKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Delivery__LinkSigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Evidence__SigningKey"] = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem(),
        ["Delivery__WebhookSecretKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Delivery__PublicBaseUrl"] = "https://notifyhub.example.org",
    };

    /// <summary>Start to first answer: the DevHost starting the worker, the handshake, indexing and loading, then the first 200.</summary>
    private sealed record ColdStart(TimeSpan ToReady, TimeSpan ToFirst200);

    private static async Task<ColdStart> MeasureColdStartAsync(string scriptRoot, string connection, string adminKey)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var host = await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = scriptRoot,
            HttpPort = 0,
            StorageConnectionString = connection,
            HostId = "bench-cold-" + Guid.NewGuid().ToString("N")[..8],
            Functions = ["GetHealth"],
            AppSettings = Settings,
        });
        var ready = clock.Elapsed;
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/health");
        request.Headers.Add("X-Api-Key", adminKey);
        using var response = await http.SendAsync(request);
        var first = clock.Elapsed;
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"The first request was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return new ColdStart(ready, first);
    }

    private static Latencies Merge(string name, List<Latencies> runs) =>
        new(name, runs.SelectMany(r => r.Milliseconds).ToList(), TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)));

    private static string Report(Latencies baseline, Latencies ingest, Latencies sameStorage, IReadOnlyList<ColdStart> coldStarts, int requests, int rounds, int warmup, int concurrency, string configuration, bool inMemory)
    {
        var ratio = ingest.P99 / baseline.P99;
        var throughput = ingest.PerSecond / baseline.PerSecond;
        var toReady = coldStarts.Select(c => c.ToReady.TotalMilliseconds).Order().ToList();
        var toFirst = coldStarts.Select(c => c.ToFirst200.TotalMilliseconds).Order().ToList();
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Ingest benchmark");
        sb.AppendLine();
        sb.AppendLine(c, $"Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {configuration} build, " +
                         $"{requests} requests of each kind in {rounds} interleaved rounds after {warmup} warm-up requests of each, {concurrency} concurrent clients, Azurite on loopback ({(inMemory ? "in-memory persistence" : "on disk")}).");
        sb.AppendLine();
        sb.AppendLine(c, $"Command: `dotnet build -c Release NotifyHub.sln && dotnet run -c Release --no-build --project bench/NotifyHub.Bench -- ingest{(inMemory ? "" : " --on-disk")}`");
        sb.AppendLine();
        sb.AppendLine("| measured | per second | p50 ms | p99 ms |");
        sb.AppendLine("|---|---:|---:|---:|");
        foreach (var l in new[] { baseline, ingest, sameStorage })
            sb.AppendLine(c, $"| {l.Name} | {l.PerSecond:0} | {l.P50:0.00} | {l.P99:0.00} |");
        sb.AppendLine();
        sb.AppendLine(c, $"**p99 ratio (ingest / baseline): {ratio:0.00}×** (goal: ≤ 2×). **Throughput ratio (ingest / baseline): {throughput:0.00}×** (goal: ≥ 0.6×). " +
                         $"Accepted incidents per second: {ingest.PerSecond:0}.");
        sb.AppendLine();
        sb.AppendLine("The baseline is the raw storage work of one incident with the Azure SDK: one table insert of the payload and one queue send. " +
                      "Ingest adds HTTP through the DevHost's front door, the proxy to the worker's own Kestrel and the InvocationRequest/InvocationResponse " +
                      "over gRPC that pairs with it, API-key authentication (cached) in the worker middleware, full validation, " +
                      "and the idempotency check (an entity-group transaction of the incident and its pending row) before the send.");
        sb.AppendLine();
        var overheadThroughput = ingest.PerSecond / sameStorage.PerSecond;
        var overheadP99 = ingest.P99 / sameStorage.P99;
        sb.AppendLine(c, $"Diagnostic: ingest against its own storage requests made directly with the SDK — throughput {overheadThroughput:0.00}×, p99 {overheadP99:0.00}×. Azurite is one Node.js process on one core; while it is saturated, the storage requests, not the hosting, set the pace.");
        sb.AppendLine();
        sb.AppendLine(c, $"## Cold start ({coldStarts.Count} runs, same machine and run)");
        sb.AppendLine();
        sb.AppendLine("From `DevHostApp.StartAsync` on the built app (storage already running) to:");
        sb.AppendLine();
        sb.AppendLine("| measured | median ms | min ms | max ms |");
        sb.AppendLine("|---|---:|---:|---:|");
        sb.AppendLine(c, $"| DevHost ready (worker started, handshake, indexing, loads, front door open) | {toReady[toReady.Count / 2]:0} | {toReady[0]:0} | {toReady[^1]:0} |");
        sb.AppendLine(c, $"| first 200 from `GET /api/admin/health` | {toFirst[toFirst.Count / 2]:0} | {toFirst[0]:0} | {toFirst[^1]:0} |");
        return sb.ToString();
    }

    /// <summary>The README's example incident for force BENCH, with recent timestamps and <c>__REFERENCE__</c> to replace per request.</summary>
    internal static JsonObject ExampleTemplate(string root)
    {
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "docs", "examples", "incident.json")))!.AsObject();
        var now = DateTimeOffset.UtcNow;
        template["occurredAt"] = now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        template["reportedAt"] = now.AddMinutes(-55).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        template["attendedAt"] = now.AddMinutes(-20).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        template["forceCode"] = "BENCH";
        template["incidentReference"] = "__REFERENCE__";
        return template;
    }

    internal static async Task<string> CreateForceAsync(HttpClient http, string adminKey)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/admin/organisations")
        {
            Content = JsonContent.Create(new { id = "bench-force", type = "police-force", name = "Benchmark force", forceCode = "BENCH" }),
        };
        create.Headers.Add("X-Api-Key", adminKey);
        (await http.SendAsync(create)).EnsureSuccessStatusCode();
        using var issue = new HttpRequestMessage(HttpMethod.Post, "/api/admin/organisations/bench-force/keys");
        issue.Headers.Add("X-Api-Key", adminKey);
        var response = await http.SendAsync(issue);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("apiKey").GetString()!;
    }

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? Path.GetFullPath(args[i + 1]) : null;
    }

    internal static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

}
