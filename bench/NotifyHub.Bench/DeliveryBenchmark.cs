using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NotifyHub.Auth;
using NotifyHub.DevHost;
using NotifyHub.DevHost.Config;
using NotifyHub.DevHost.Storage;

namespace NotifyHub.Bench;

/// <summary>
/// End to end: <c>POST /api/incidents</c> until every delivery has reached its recipient's webhook receiver, three
/// recipients per incident (a school, an NPS SPOC and the MASH, each a signed webhook to a receiver on loopback),
/// the whole hub running in the DevHost on one Azurite. Measures the sustained rate (incidents fully delivered per
/// second with clients submitting as fast as they are answered) and, at an offered 5 incidents per second, the time
/// from each POST to its last delivery. The baseline, measured in the same run on the same Azurite, is the raw
/// storage ceiling: storage requests per second made directly with the SDK, divided by the storage requests one
/// incident costs the hub (counted from Azurite's request log in a separate, untimed run). Writes bench/results/delivery.md.
/// </summary>
public static partial class DeliveryBenchmark
{
    private const int RecipientsPerIncident = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var incidents = IngestBenchmark.IntArg(args, "--incidents", 300);
        var rate = IngestBenchmark.IntArg(args, "--rate", 5);
        var seconds = IngestBenchmark.IntArg(args, "--seconds", 30);
        var concurrency = IngestBenchmark.IntArg(args, "--concurrency", 8);
        var counted = IngestBenchmark.IntArg(args, "--count-incidents", 20);
        // Azurite's two modes load it differently (in memory, every queue message body is an extent of its own, which its
        // minutely garbage collection deletes one by one; on disk, bodies share extent files but the database is saved
        // periodically): both are measured unless --memory-only or --disk-only.
        var modes = args.Contains("--memory-only") ? [true] : args.Contains("--disk-only") ? new[] { false } : [true, false];
        var root = RepoRoot.Find(Directory.GetCurrentDirectory()) ?? throw new InvalidOperationException("Run from inside the NotifyHub repository.");
        var configuration = typeof(DeliveryBenchmark).Assembly.Location.Contains("/release/", StringComparison.Ordinal) ? "release" : "debug";
        var scriptRoot = Path.Combine(root, "artifacts", "bin", "NotifyHub.Functions", configuration);
        var azuriteExe = Azurite.FindExecutable(root) ?? throw new InvalidOperationException("Run `npm ci` first: Azurite is not installed.");
        var template = Template(root);

        await using var receiver = await Receiver.StartAsync();
        var measured = new List<Mode>();
        foreach (var inMemory in modes)
        {
            var name = inMemory ? "in memory" : "on disk";
            // The ceiling on an Azurite of its own, started the same way just before the hub's: its queue store does work in
            // proportion to every message it holds (and garbage-collects each one's body one by one), so the ceiling's 3,500
            // messages would otherwise weigh on every queue request the hub makes.
            double ceiling;
            AzuriteLoad ceilingLoad;
            await using (var bare = await Azurite.StartAsync(azuriteExe, NewFolder(), inMemory: inMemory))
            {
                Console.WriteLine($"Azurite {name}: raw storage ceiling (SDK, an Azurite like the hub's)...");
                (ceiling, ceilingLoad) = await StorageCeilingAsync(bare.ConnectionString, concurrency, bare.ProcessId);
            }
            await using var azurite = await Azurite.StartAsync(azuriteExe, NewFolder(), inMemory: inMemory);
            await using var hub = await Hub.StartAsync(scriptRoot, azurite.ConnectionString, receiver);

            Console.WriteLine("Warming up (30 incidents)...");
            await hub.SubmitAllAsync(template, "WARM", 30, concurrency, receiver);
            Console.WriteLine($"Sustained: {incidents} incidents, {concurrency} clients submitting as fast as answered...");
            var sustainedBefore = AzuriteLoad.Read(azurite.ProcessId);
            var sustained = await hub.SubmitAllAsync(template, "S", incidents, concurrency, receiver);
            var sustainedLoad = AzuriteLoad.Read(azurite.ProcessId) - sustainedBefore;
            Console.WriteLine($"Offered load: {rate} incidents/s for {seconds} s...");
            var offered = await hub.SubmitAtRateAsync(template, "R", rate, seconds, receiver);
            await hub.CheckDeliveredAsync(sustained.IncidentIds.Concat(offered.IncidentIds).ToList());
            measured.Add(new Mode(name, ceiling, sustained, offered, ceilingLoad, sustainedLoad));
        }

        Console.WriteLine($"Counting storage requests ({counted} incidents, Azurite request log on)...");
        var requests = await CountStorageRequestsAsync(azuriteExe, scriptRoot, template, counted, receiver);

        var report = Report(measured, requests, counted, incidents, rate, seconds, concurrency, configuration);
        Console.WriteLine(report);
        var results = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, "delivery.md"), report);
        Console.WriteLine($"Written to {Path.Combine(results, "delivery.md")}");
        return 0;
    }

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "notifyhub-bench-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>One Azurite mode's measurements: the SDK's storage requests per second on it, and the hub's two runs.</summary>
    private sealed record Mode(string Name, double CeilingRequestsPerSecond, Run Sustained, Run Offered, AzuriteLoad CeilingLoad, AzuriteLoad SustainedLoad);

    /// <summary>
    /// The CPU time Azurite (its process and the ones it started) has used, and when it was read: Azurite is one Node.js process,
    /// so at 1.0 CPU-second a second it is saturated, and its CPU time per request says how heavy a mix of requests is for it.
    /// </summary>
    private sealed record AzuriteLoad(double CpuSeconds, double WallSeconds)
    {
        public double Busy => WallSeconds > 0 ? CpuSeconds / WallSeconds : 0;

        public static AzuriteLoad operator -(AzuriteLoad a, AzuriteLoad b) => new(a.CpuSeconds - b.CpuSeconds, a.WallSeconds - b.WallSeconds);

        public static AzuriteLoad Read(int pid)
        {
            var tree = new HashSet<int> { pid };
            var parents = Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsAsciiDigit))
                .Select(n => (Pid: int.Parse(n, CultureInfo.InvariantCulture), Stat: TryRead($"/proc/{n}/stat"))).Where(p => p.Stat is not null).ToList();
            for (var grew = true; grew;)
            {
                grew = false;
                foreach (var (child, stat) in parents)
                    if (!tree.Contains(child) && tree.Contains((int)Field(stat!, 3))) grew = tree.Add(child) | grew;
            }
            var ticks = parents.Where(p => tree.Contains(p.Pid)).Sum(p => (double)Field(p.Stat!, 13) + Field(p.Stat!, 14));
            return new AzuriteLoad(ticks / 100.0, Environment.TickCount64 / 1000.0);
        }

        // /proc/{pid}/stat: "pid (comm) state ppid ... utime stime ...", fields counted after the command's closing parenthesis.
        private static long Field(string stat, int index) =>
            long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[index - 2], CultureInfo.InvariantCulture);

        private static string? TryRead(string path)
        {
            try { return File.ReadAllText(path); }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }
    }

    /// <summary>The example incident at LA 840 and URN 100001 (the bench school), without GP codes: it routes to exactly the three bench recipients.</summary>
    private static string Template(string root)
    {
        var template = IngestBenchmark.ExampleTemplate(root);
        template["location"] = new JsonObject { ["laCode"] = "840", ["postcodeDistrict"] = "ZZ1" };
        foreach (var child in template["children"]!.AsArray())
        {
            child!.AsObject().Remove("gpPracticeOdsCode");
            child.AsObject().Remove("nhsNumber");
        }
        template["children"]![0]!["schoolUrn"] = "100001";
        // Each incident about children of its own, as real incidents are: the same two children in every incident would make each
        // a repeat of all before it, and every routing would read an ever longer history.
        var n = 0;
        foreach (var child in template["children"]!.AsArray())
        {
            child!["givenName"] = "Bench" + ChildTag + (char)('a' + n);
            child["policePersonReference"] = "P-__REFERENCE__-" + n++;
        }
        return template.ToJsonString();
    }

    private const string ChildTag = "__CHILDTAG__";

    /// <summary>A name part unique to the reference: its letters kept, each digit spelled as a letter.</summary>
    private static string LettersOf(string reference) =>
        new(reference.Where(char.IsAsciiLetterOrDigit).Select(c => char.IsAsciiDigit(c) ? (char)('a' + (c - '0')) : char.ToLowerInvariant(c)).ToArray());

    /// <summary>Storage requests per second straight from the SDK: a table insert, a point read and a queue send, repeated.</summary>
    private static async Task<(double RequestsPerSecond, AzuriteLoad Load)> StorageCeilingAsync(string connection, int concurrency, int azuritePid)
    {
        var table = new TableServiceClient(connection).GetTableClient("BenchCeiling");
        await table.CreateIfNotExistsAsync();
        var queue = new QueueClient(connection, "bench-ceiling");
        await queue.CreateIfNotExistsAsync();
        var payload = new byte[2048];
        async Task Three(int i)
        {
            await table.AddEntityAsync(new TableEntity("p" + (i % 64), i.ToString(CultureInfo.InvariantCulture)) { ["Payload"] = payload });
            await table.GetEntityAsync<TableEntity>("p" + (i % 64), i.ToString(CultureInfo.InvariantCulture));
            await queue.SendMessageAsync("{\"incidentId\":\"x\"}");
        }
        await Latencies.MeasureAsync("warm", 500, concurrency, i => Three(1_000_000 + i));
        var before = AzuriteLoad.Read(azuritePid);
        var run = await Latencies.MeasureAsync("ceiling", 3000, concurrency, Three);
        return (run.PerSecond * 3, AzuriteLoad.Read(azuritePid) - before);
    }

    /// <summary>A separate hub on an Azurite that logs every request: the storage requests the hub makes while delivering <paramref name="count"/> incidents.</summary>
    private static async Task<StorageRequests> CountStorageRequestsAsync(string azuriteExe, string scriptRoot, string template, int count, Receiver receiver)
    {
        var folder = NewFolder();
        Directory.CreateDirectory(folder);
        var log = Path.Combine(folder, "azurite-debug.log");
        await using (var azurite = await Azurite.StartAsync(azuriteExe, folder, inMemory: true, debugLog: log))
        await using (var hub = await Hub.StartAsync(scriptRoot, azurite.ConnectionString, receiver))
        {
            await hub.SubmitAllAsync(template, "WARMC", 5, 1, receiver);
            var idleStart = Count(log);
            await Task.Delay(TimeSpan.FromSeconds(10));
            var idle = Services(Count(log)) - Services(idleStart);
            var before = Count(log);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await hub.SubmitAllAsync(template, "C", count, 1, receiver);
            // The last deliveries have arrived, but the hub is still recording them (receipts, inbox rows, rollups, message
            // deletes) and Azurite writes its log behind: count once that is done, less the idle polling of the whole span.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var after = Count(log);
            var during = after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
            var idleShare = idle * clock.Elapsed.TotalSeconds / 10;
            return new StorageRequests(during.Where(kv => kv.Key is "Table" or "Queue" or "Blob").ToDictionary(), idle / 10.0, idleShare,
                during.Where(kv => kv.Key.Contains(' ')).ToDictionary(kv => kv.Key, kv => kv.Value));
        }
    }

    /// <summary>Requests so far in Azurite's log: by service (<c>Table</c>, <c>Queue</c>, <c>Blob</c>) and by what they were (<c>{service} {method} {resource}</c>).</summary>
    private static Dictionary<string, int> Count(string log)
    {
        var counts = new Dictionary<string, int> { ["Table"] = 0, ["Queue"] = 0, ["Blob"] = 0 };
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var match = RequestLine().Match(line);
            if (!match.Success) continue;
            var service = match.Groups["service"].Value;
            counts[service]++;
            // The resource: the table or queue (with /messages), its keys left out; a table batch names no table.
            var path = match.Groups["path"].Value.Split('?')[0];
            var resource = Regex.Replace(Regex.Replace(path, @"\(.*\)$", "()"), @"/messages/[^/]+$", "/messages/{id}");
            var kind = $"{service} {match.Groups["method"].Value} {resource}";
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
        return counts;
    }

    private static int Services(Dictionary<string, int> counts) => counts["Table"] + counts["Queue"] + counts["Blob"];

    [GeneratedRegex(@" info: (?<service>Table|Queue|Blob)StorageContextMiddleware: RequestMethod=(?<method>\S+) RequestURL=https?://[^/]+/devstoreaccount1/(?<path>\S*)")]
    private static partial Regex RequestLine();

    /// <param name="ByKind">The requests of the counted span by <c>{service} {method} {resource}</c>, idle polling included.</param>
    private sealed record StorageRequests(Dictionary<string, int> During, double IdlePerSecond, double IdleDuring, Dictionary<string, int> ByKind)
    {
        public int Total => During.Values.Sum();
    }

    /// <summary>One measured run: per incident, the time from its POST to its last delivery at a receiver.</summary>
    private sealed record Run(IReadOnlyList<string> IncidentIds, IReadOnlyList<double> Milliseconds, TimeSpan Elapsed)
    {
        public double PerSecond => IncidentIds.Count / Elapsed.TotalSeconds;
        public double Percentile(double p)
        {
            var sorted = Milliseconds.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    /// <summary>The hub under test: the DevHost with ingest, routing and delivery, a force and three webhook recipients.</summary>
    private sealed class Hub : IAsyncDisposable
    {
        private readonly RunningDevHost _host;
        private readonly HttpClient _http;
        private readonly string _forceKey;

        private Hub(RunningDevHost host, HttpClient http, string forceKey) => (_host, _http, _forceKey) = (host, http, forceKey);

        public static async Task<Hub> StartAsync(string scriptRoot, string connection, Receiver receiver)
        {
            var tables = new TableServiceClient(connection);
            await tables.CreateTableIfNotExistsAsync("ApiKeys");
            var admin = await new ApiKeyStore(tables, TimeProvider.System).IssueAsync("bench-admin", Roles.Admin, null, default);
            var settings = new Dictionary<string, string?>(IngestBenchmark.Settings)
            {
                // Loopback receivers: plain http to loopback is a development setting (local.settings.json sets Development).
                ["Delivery__AllowHttpToLoopback"] = "true",
                ["ReconcileIncidentsSchedule"] = "0 0 0 1 1 *",
            };
            var host = await DevHostApp.StartAsync(new DevHostOptions
            {
                ScriptRoot = scriptRoot,
                HttpPort = 0,
                StorageConnectionString = connection,
                HostId = "bench-" + Guid.NewGuid().ToString("N")[..8],
                Functions = ["IngestIncident", "RouteIncident", "DeliverNotification", "CreateOrganisation", "IssueApiKey", "RotateWebhookSecret", "GetIncidentStatus"],
                AppSettings = settings,
            });
            var http = new HttpClient { BaseAddress = host.BaseAddress };
            var forceKey = await IngestBenchmark.CreateForceAsync(http, admin.Secret);
            foreach (var (id, type, extra) in new (string, string, object?)[]
            {
                ("school-100001", "school", new { urn = "100001" }),
                ("bench-nps-spoc", "nps-spoc", null),
                ("bench-mash", "mash", null),
            })
            {
                var body = JsonSerializer.SerializeToNode(new { id, type, name = "Benchmark " + type, laCode = "840", channel = new { kind = "webhook", url = receiver.Url + "/" + id } })!.AsObject();
                if (extra is not null) foreach (var (k, v) in JsonSerializer.SerializeToNode(extra)!.AsObject()) body[k] = v?.DeepClone();
                await SendAsync(http, HttpMethod.Post, "/api/admin/organisations", admin.Secret, body.ToJsonString());
                await SendAsync(http, HttpMethod.Post, $"/api/admin/organisations/{id}/webhook-secrets", admin.Secret, null);
            }
            return new Hub(host, http, forceKey);
        }

        private static async Task SendAsync(HttpClient http, HttpMethod method, string path, string key, string? json)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("X-Api-Key", key);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        private async Task<(string IncidentId, long Started)> SubmitAsync(string template, string reference)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents")
            {
                Content = new StringContent(template.Replace("__REFERENCE__", reference, StringComparison.Ordinal)
                    .Replace(ChildTag, LettersOf(reference), StringComparison.Ordinal), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Api-Key", _forceKey);
            using var response = await _http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"Incident {reference} was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
            return (id, started);
        }

        /// <summary>Submits <paramref name="count"/> incidents with <paramref name="concurrency"/> clients, each as soon as the last was answered; waits for every delivery.</summary>
        public async Task<Run> SubmitAllAsync(string template, string prefix, int count, int concurrency, Receiver receiver)
        {
            var run = prefix + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
            var submitted = new ConcurrentBag<(string IncidentId, long Started)>();
            var next = -1;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count) submitted.Add(await SubmitAsync(template, $"{run}-{i}"));
            }));
            return await receiver.WaitAsync(submitted.ToList(), clock);
        }

        /// <summary>Submits <paramref name="rate"/> incidents a second for <paramref name="seconds"/> seconds, on time whatever the answers; waits for every delivery.</summary>
        public async Task<Run> SubmitAtRateAsync(string template, string prefix, int rate, int seconds, Receiver receiver)
        {
            var run = prefix + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
            var interval = TimeSpan.FromSeconds(1.0 / rate);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var tasks = new List<Task<(string, long)>>();
            for (var i = 0; i < rate * seconds; i++)
            {
                var due = interval * i;
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                tasks.Add(SubmitAsync(template, $"{run}-{i}"));
            }
            return await receiver.WaitAsync(await Task.WhenAll(tasks), clock);
        }

        /// <summary>Every delivery of every incident is recorded <c>delivered</c> on its ledger (not only seen at the receiver).</summary>
        public async Task CheckDeliveredAsync(IReadOnlyList<string> incidentIds)
        {
            var ledger = new NotifyHub.Ledger.LedgerStore(new TableServiceClient(_host.StorageConnectionString));
            var notDelivered = 0;
            foreach (var id in incidentIds)
            {
                // The last deliveries may have reached their receiver a moment before the hub recorded them.
                for (var tries = 0; ; tries++)
                {
                    var deliveries = (await ledger.LoadAsync(id, NotifyHub.Ledger.LedgerParts.None, null, default)).Deliveries.Values;
                    var pending = deliveries.Count(d => d.Receipt.Status != "delivered") + (RecipientsPerIncident - deliveries.Count());
                    if (pending == 0) break;
                    if (tries == 50) { notDelivered += pending; break; }
                    await Task.Delay(100);
                }
            }
            if (notDelivered > 0) throw new InvalidOperationException($"{notDelivered} deliveries reached their receiver but are not recorded delivered.");
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _host.DisposeAsync();
        }
    }

    /// <summary>The recipients' webhook endpoints: one Kestrel app on loopback, recording when each notification arrives.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, (int Count, long Last)> _byIncident = new();

        public string Url { get; }

        private Receiver(WebApplication app, string url) => (_app, Url) = (app, url);

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            Receiver? receiver = null;
            app.Run(async context =>
            {
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                using var reader = new StreamReader(context.Request.Body);
                await reader.ReadToEndAsync();
                var id = context.Request.Headers["webhook-id"].ToString();
                var dot = id.IndexOf('.');
                if (dot > 0) receiver!._byIncident.AddOrUpdate(id[..dot], (1, now), (_, seen) => (seen.Count + 1, seen.Last > now ? seen.Last : now));
                context.Response.StatusCode = 204;
            });
            await app.StartAsync();
            receiver = new Receiver(app, app.Urls.Single().TrimEnd('/'));
            return receiver;
        }

        public async Task<Run> WaitAsync(IReadOnlyList<(string IncidentId, long Started)> submitted, System.Diagnostics.Stopwatch clock)
        {
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (submitted.Any(s => !_byIncident.TryGetValue(s.IncidentId, out var seen) || seen.Count < RecipientsPerIncident))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("Not every delivery arrived within 5 minutes.");
                await Task.Delay(20);
            }
            var elapsed = clock.Elapsed;
            var latencies = submitted.Select(s => System.Diagnostics.Stopwatch.GetElapsedTime(s.Started, _byIncident[s.IncidentId].Last).TotalMilliseconds).ToList();
            var last = submitted.Max(s => _byIncident[s.IncidentId].Last);
            var first = submitted.Min(s => s.Started);
            return new Run(submitted.Select(s => s.IncidentId).ToList(), latencies, System.Diagnostics.Stopwatch.GetElapsedTime(first, last));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static string Report(IReadOnlyList<Mode> modes, StorageRequests requests, int counted, int incidents, int rate, int seconds,
        int concurrency, string configuration)
    {
        var c = CultureInfo.InvariantCulture;
        var deliveries = counted * RecipientsPerIncident;
        var perIncident = (requests.Total - requests.IdleDuring) / counted;
        var sb = new StringBuilder();
        sb.AppendLine("# Delivery benchmark (end to end)");
        sb.AppendLine();
        sb.AppendLine(c, $"Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {configuration} build, Azurite on loopback (each mode a fresh Azurite), the DevHost running IngestIncident, RouteIncident and DeliverNotification; three recipients per incident (a school, an NPS SPOC and the MASH), each a signed webhook to a receiver on loopback answering 204; every incident about children of its own.");
        sb.AppendLine();
        sb.AppendLine("Command: `dotnet build -c Release NotifyHub.sln && dotnet run -c Release --no-build --project bench/NotifyHub.Bench -- deliver`");
        sb.AppendLine();
        sb.AppendLine("| Azurite | run | incidents | incidents fully delivered per second | p50 ms | p90 ms | p99 ms | max ms |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var mode in modes)
        {
            foreach (var (label, run) in new[] { ($"sustained: {concurrency} clients submitting as fast as answered", mode.Sustained), ($"offered {rate} incidents/s for {seconds} s", mode.Offered) })
                sb.AppendLine(c, $"| {mode.Name} | {label} | {run.IncidentIds.Count} | {run.PerSecond:0.0} | {run.Percentile(0.5):0} | {run.Percentile(0.9):0} | {run.Percentile(0.99):0} | {run.Percentile(1):0} |");
        }
        sb.AppendLine();
        sb.AppendLine("Latency is from the start of each POST to the arrival of its incident's last delivery at a receiver; " +
                      "afterwards every delivery of every measured incident was checked to be recorded `delivered` by the hub. The offered run follows the sustained one on the same hub and storage.");
        sb.AppendLine();
        foreach (var mode in modes)
            sb.AppendLine(c, $"- **Azurite {mode.Name}: sustained {mode.Sustained.PerSecond:0.0} incidents/s**; **p99 at an offered {rate}/s: {mode.Offered.Percentile(0.99):0} ms** (goal ≤ 1000).");
        sb.AppendLine();
        sb.AppendLine("## Storage requests and the raw storage ceiling (baseline)");
        sb.AppendLine();
        sb.AppendLine(c, $"Counted from Azurite's request log (in memory) while {counted} incidents ({deliveries} deliveries) went through one at a time, less the idle polling " +
                         $"of the same span (queue listeners and timers, {requests.IdlePerSecond:0.0} requests/s measured with nothing to do):");
        sb.AppendLine();
        sb.AppendLine("| service | requests | per incident | per delivery |");
        sb.AppendLine("|---|---:|---:|---:|");
        foreach (var (service, n) in requests.During)
            sb.AppendLine(c, $"| {service} | {n} | {n / (double)counted:0.0} | {n / (double)deliveries:0.0} |");
        sb.AppendLine(c, $"| all, less idle polling ({requests.IdleDuring:0}) | {requests.Total - requests.IdleDuring:0} | {perIncident:0.0} | {perIncident / RecipientsPerIncident:0.0} |");
        sb.AppendLine();
        sb.AppendLine(c, $"**{perIncident:0.0} storage requests per incident** (must not rise above 46.7, the figure before the ledger; goal ≤ 35). What they were, per incident (idle polling included; a table batch names no table):");
        sb.AppendLine();
        sb.AppendLine("| request | per incident |");
        sb.AppendLine("|---|---:|");
        foreach (var (kind, n) in requests.ByKind.Where(k => k.Value > 0).OrderByDescending(k => k.Value))
            sb.AppendLine(c, $"| `{kind}` | {n / (double)counted:0.00} |");
        sb.AppendLine();
        sb.AppendLine(c, $"Baseline, measured in the same run just before each mode's hub, on a fresh Azurite started the same way (so that its messages do not weigh on the hub's): the SDK alone (a table insert, a point read and a queue send, {concurrency} concurrent clients), " +
                         $"divided by the {perIncident:0.0} requests an incident costs the hub, is the raw storage ceiling in incidents per second.");
        sb.AppendLine();
        sb.AppendLine("| Azurite | SDK storage requests/s | ceiling, incidents/s | hub sustained / ceiling (goal ≥ 0.8×) |");
        sb.AppendLine("|---|---:|---:|---:|");
        foreach (var mode in modes)
        {
            var ceilingIncidents = mode.CeilingRequestsPerSecond / perIncident;
            sb.AppendLine(c, $"| {mode.Name} | {mode.CeilingRequestsPerSecond:0} | {ceilingIncidents:0.0} | {mode.Sustained.PerSecond / ceilingIncidents:0.00}× |");
        }
        sb.AppendLine();
        sb.AppendLine("What the ceiling leaves out: it divides a rate of the *lightest* requests (a 2 KB insert, a point read, a queue send) by the " +
                      "number of the hub's requests, which are heavier — entity-group transactions of up to a hundred entities, queries over an " +
                      "incident's partition, rollup cells of compressed facts. Azurite's own CPU time, read from `/proc` over each run, shows it:");
        sb.AppendLine();
        sb.AppendLine("| Azurite | run | Azurite busy (CPU-s per s) | Azurite CPU ms per request | Azurite CPU ms per incident |");
        sb.AppendLine("|---|---|---:|---:|---:|");
        foreach (var mode in modes)
        {
            var sdkRequests = 3000 * 3.0;
            var hubRequests = mode.Sustained.IncidentIds.Count * perIncident;
            sb.AppendLine(c, $"| {mode.Name} | SDK ceiling | {mode.CeilingLoad.Busy:0.00} | {mode.CeilingLoad.CpuSeconds * 1000 / sdkRequests:0.00} | — |");
            sb.AppendLine(c, $"| {mode.Name} | hub, sustained | {mode.SustainedLoad.Busy:0.00} | {mode.SustainedLoad.CpuSeconds * 1000 / hubRequests:0.00} | " +
                             $"{mode.SustainedLoad.CpuSeconds * 1000 / mode.Sustained.IncidentIds.Count:0.0} |");
        }
        sb.AppendLine();
        sb.AppendLine("A ceiling for the hub's own mix is Azurite's capacity (1 CPU-second a second) divided by the Azurite CPU one incident costs; " +
                      "the hub's sustained rate against it says how close the hub comes to what its storage can do:");
        sb.AppendLine();
        sb.AppendLine("| Azurite | ceiling for the hub's mix, incidents/s | hub sustained / that ceiling |");
        sb.AppendLine("|---|---:|---:|");
        foreach (var mode in modes)
        {
            var perIncidentCpu = mode.SustainedLoad.CpuSeconds / mode.Sustained.IncidentIds.Count;
            sb.AppendLine(c, $"| {mode.Name} | {1 / perIncidentCpu:0.0} | {mode.Sustained.PerSecond * perIncidentCpu:0.00}× |");
        }
        return sb.ToString();
    }
}
