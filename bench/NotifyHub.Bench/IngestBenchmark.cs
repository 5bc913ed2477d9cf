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
/// Accepted incidents per second and p50/p99 latency of POST /api/incidents through the DevHost,
/// against a baseline measured in the same run on the same Azurite: the raw storage work of one
/// incident (one table insert + one queue send with the SDK). Writes bench/results/ingest.md.
/// </summary>
public static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var requests = IntArg(args, "--requests", 2000);
        var concurrency = IntArg(args, "--concurrency", 8);
        var warmup = Math.Min(200, requests / 5);
        // Azurite keeps data on disk by default and stalls while it saves; --on-disk measures that too.
        var inMemory = !args.Contains("--on-disk");
        var root = RepoRoot.Find(Directory.GetCurrentDirectory()) ?? throw new InvalidOperationException("Run from inside the NotifyHub repository.");
        var configuration = typeof(IngestBenchmark).Assembly.Location.Contains("/release/", StringComparison.Ordinal) ? "release" : "debug";
        var scriptRoot = Path.Combine(root, "artifacts", "bin", "NotifyHub.Functions", configuration);

        var folder = Path.Combine(Path.GetTempPath(), "notifyhub-bench-" + Guid.NewGuid().ToString("N")[..8]);
        await using var azurite = await Azurite.StartAsync(Azurite.FindExecutable(root)
            ?? throw new InvalidOperationException("Run `npm ci` first: Azurite is not installed."), folder, inMemory: inMemory);
        await using var host = await DevHostApp.StartAsync(new DevHostOptions
        {
            ScriptRoot = scriptRoot,
            HttpPort = 0,
            StorageConnectionString = azurite.ConnectionString,
            HostId = "bench",
            // Ingest alone: the router and its downstream functions would compete for the same two cores.
            Functions = ["IngestIncident", "CreateOrganisation", "IssueApiKey"],
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var tables = new TableServiceClient(azurite.ConnectionString);
        var admin = await new ApiKeyStore(tables, TimeProvider.System).IssueAsync("bench-admin", Roles.Admin, null, default);
        var forceKey = await CreateForceAsync(http, admin.Secret);

        var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "docs", "examples", "incident.json")))!.AsObject();
        var now = DateTimeOffset.UtcNow;
        template["occurredAt"] = now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        template["reportedAt"] = now.AddMinutes(-55).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        template["attendedAt"] = now.AddMinutes(-20).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        template["forceCode"] = "BENCH";
        template["incidentReference"] = "__REFERENCE__";
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

        // Interleave the two so that machine noise falls on both alike.
        var baselineRuns = new List<Latencies>();
        var ingestRuns = new List<Latencies>();
        for (var round = 0; round < 2; round++)
        {
            baselineRuns.Add(await Latencies.MeasureAsync("baseline", requests / 2, concurrency, i => Baseline(i, "b" + round)));
            ingestRuns.Add(await Latencies.MeasureAsync("ingest", requests / 2, concurrency, i => Ingest(i, "I" + round)));
        }
        var baseline = Merge("baseline: table insert + queue send (SDK)", baselineRuns);
        var ingest = Merge("POST /api/incidents through the DevHost", ingestRuns);

        var report = Report(baseline, ingest, requests, concurrency, configuration, inMemory);
        Console.WriteLine(report);
        var results = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, ResultsFile(inMemory)), report);
        Console.WriteLine($"Written to {Path.Combine(results, ResultsFile(inMemory))}");
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        return 0;
    }

    private static string ResultsFile(bool inMemory) => inMemory ? "ingest.md" : "ingest-on-disk.md";

    private static Latencies Merge(string name, List<Latencies> runs) =>
        new(name, runs.SelectMany(r => r.Milliseconds).ToList(), TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)));

    private static string Report(Latencies baseline, Latencies ingest, int requests, int concurrency, string configuration, bool inMemory)
    {
        var ratio = ingest.P99 / baseline.P99;
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Ingest benchmark");
        sb.AppendLine();
        sb.AppendLine(c, $"Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {configuration} build, " +
                         $"{requests} requests of each kind, {concurrency} concurrent clients, Azurite on loopback ({(inMemory ? "in-memory persistence" : "on disk")}).");
        sb.AppendLine();
        sb.AppendLine(c, $"Command: `dotnet build -c Release NotifyHub.sln && dotnet run -c Release --no-build --project bench/NotifyHub.Bench -- ingest{(inMemory ? "" : " --on-disk")}`");
        sb.AppendLine();
        sb.AppendLine("| measured | per second | p50 ms | p99 ms |");
        sb.AppendLine("|---|---:|---:|---:|");
        foreach (var l in new[] { baseline, ingest })
            sb.AppendLine(c, $"| {l.Name} | {l.PerSecond:0} | {l.P50:0.00} | {l.P99:0.00} |");
        sb.AppendLine();
        sb.AppendLine(c, $"**p99 ratio (ingest / baseline): {ratio:0.00}×** (goal: ≤ 3×). **Accepted incidents per second: {ingest.PerSecond:0}** (goal: ≥ 100).");
        sb.AppendLine();
        sb.AppendLine("The baseline is the raw storage work of one incident with the Azure SDK: one table insert of the payload and one queue send. " +
                      "Ingest adds HTTP through the DevHost's forwarder to the handler, API-key authentication (cached), full validation, " +
                      "the idempotency check (an entity-group transaction of the incident and its outbox row) and the outbox delete after the send.");
        return sb.ToString();
    }

    private static async Task<string> CreateForceAsync(HttpClient http, string adminKey)
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

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

}
