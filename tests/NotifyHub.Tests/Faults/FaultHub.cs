using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using NotifyHub.Domain.Timeliness;
using NotifyHub.Storage;
using NotifyHub.Tests.Delivery;
using NotifyHub.Tests.Infrastructure;
using NotifyHub.Timeliness;

namespace NotifyHub.Tests.Faults;

/// <summary>
/// The hub for fault injection: real Azurite, the DevHost, maildev and loopback webhook receivers, with the test-only
/// fault policy on (<c>Testing:FaultPlanFile</c>), every timer off (the scenario runs them when it means to), fast retries
/// and short claims. Its directory, made once: LA 871 with a school on a webhook that refuses each notification's first
/// attempt (its shares due weeks ahead, so the retry comes before the fallback), an NPS SPOC on a webhook that never accepts (so it falls back to a secure email), school nursing and
/// midwifery on email, health visiting and the MASH on their inboxes (with keys), a police force, and a partnership lead
/// with two escalation contacts.
/// </summary>
public sealed class FaultHubFixture : HubFixture
{
    public const string La = "871";
    public const string Gp = "F87001";
    public const string District = "ZF1";
    public const string SchoolUrn = "871001";

    /// <summary>LA 872: one school, on email, and a partnership lead with two escalation contacts — an incident there has one delivery.</summary>
    public const string LoneLa = "872";
    public const string LoneSchoolUrn = "872001";
    public const string LoneSchoolEmail = "lone.school@faults.example.invalid";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "notifyhub-faults-" + Guid.NewGuid().ToString("N")[..8]);

    public FaultHubFixture() => Logs = new CollectedLogs();

    /// <summary>The last warnings and errors of the DevHost and the worker, for a failure's message.</summary>
    public string RecentTrouble(int count = 40) =>
        string.Join("\n", Logs!.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).TakeLast(count)
            .Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.GetType().Name} {e.Exception?.Message}"));

    public Maildev Mail { get; private set; } = null!;
    public WebhookReceiver School { get; private set; } = null!;
    public WebhookReceiver Probation { get; private set; } = null!;
    public string PlanFile => Path.Combine(_folder, "plan.json");
    public string ForceCode { get; private set; } = "";
    public string ForceKey { get; private set; } = "";
    public string HealthVisitingKey { get; private set; } = "";
    public string MashKey { get; private set; } = "";
    public IReadOnlyList<string> EscalationContacts { get; } = ["alerts-one@faults.example.invalid", "alerts-two@faults.example.invalid"];

    /// <summary>Webhook requests each receiver answered 2xx, by webhook-id.</summary>
    public ConcurrentDictionary<string, int> Accepted { get; } = new();

    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>
    {
        ["Testing__FaultPlanFile"] = PlanFile,
        ["Email__SmtpPort"] = Mail.SmtpPort.ToString(),
        ["Delivery__RetryDelays"] = "00:00:00.200",
        ["Delivery__AttemptsPerChannel"] = "2",
        ["Delivery__AttemptTimeout"] = "00:00:02",
        ["Delivery__RequeueAfter"] = "00:00:01",
        ["Delivery__ClaimFor"] = "00:00:03",
        ["Retention__PersonalDataAfter"] = "00:00:01",
        ["ReconcileIncidentsSchedule"] = Never, ["SlaMonitorSchedule"] = Never, ["ProjectLedgerSchedule"] = Never,
        ["PurgePersonalDataSchedule"] = Never, ["ReconcileManifestsSchedule"] = Never, ["DailyDigestSchedule"] = Never,
        ["RepairDirectoryIndexSchedule"] = Never, ["PingWebhookEndpointsSchedule"] = Never,
        ["Reconcile__After"] = "00:00:01",
        // A routing attempt killed mid-way holds its incident until its claim lapses: a few seconds here, ten minutes by default.
        ["Routing__ClaimFor"] = "00:00:03",
        // The school's share is due weeks after the (long past) report, so its webhook is retried rather than given up for
        // the fallback at once; every other share is late when the scenario starts.
        ["Timeliness__Rules__0__RecipientType"] = "school",
        ["Timeliness__Rules__0__OrganisationId"] = "school-" + SchoolUrn,
        ["Timeliness__Rules__0__Deadline"] = "elapsed 744h",
    };

    private const string Never = "0 0 0 1 1 *";

    protected override Action<JsonObject>? ChangeHostJson => host =>
    {
        host["extensions"]!["queues"]!["maxPollingInterval"] = "00:00:00.200";
        host["extensions"]!["queues"]!["visibilityTimeout"] = "00:00:01";
    };

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        Mail = await Maildev.StartAsync();
        var refused = new ConcurrentDictionary<string, bool>();
        School = await WebhookReceiver.StartAsync((context, _) =>
        {
            var id = context.Request.Headers["webhook-id"].ToString();
            // Each notification's first attempt is refused, so every run has a retry on the schedule.
            context.Response.StatusCode = refused.TryAdd(id, true) ? 500 : 204;
            if (context.Response.StatusCode == 204) Accepted.AddOrUpdate(id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        });
        Probation = await WebhookReceiver.StartAsync((context, _) => { context.Response.StatusCode = 503; return Task.CompletedTask; });
        await base.InitializeAsync();
        await SeedDirectoryAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await School.DisposeAsync();
        await Probation.DisposeAsync();
        await Mail.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private async Task SeedDirectoryAsync()
    {
        (ForceCode, ForceKey) = await NewForceAsync();
        async Task<string> Create(object organisation)
        {
            var response = await DeliveryApi.SendAsync(this, HttpMethod.Post, "/api/admin/organisations", AdminKey, organisation);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        object Contact(string who) => new { name = "Synthetic " + who, role = who, email = $"{who.ToLowerInvariant().Replace(' ', '.')}@faults.example.invalid" };
        object Coverage() => new { gpPracticeOdsCodes = new[] { Gp }, postcodeDistricts = new[] { District } };
        var school = await Create(new
        {
            id = "school-" + SchoolUrn, type = "school", name = "Synthetic Fault School", urn = SchoolUrn, laCode = La, phase = "Primary", statutoryLowAge = 4,
            statutoryHighAge = 11, channel = new { kind = "webhook", url = School.Url }, contacts = new[] { Contact("Designated Safeguarding Lead") },
        });
        await DeliveryApi.RotateSecretAsync(this, school);
        var nps = await Create(new
        {
            id = "nps-" + La, type = "nps-spoc", name = "Synthetic NPS SPOC", laCode = La, channel = new { kind = "webhook", url = Probation.Url },
            contacts = new[] { Contact("Probation SPOC") },
        });
        await DeliveryApi.RotateSecretAsync(this, nps);
        await Create(new
        {
            id = "nursing-" + La, type = "school-nursing-team", name = "Synthetic School Nursing", laCode = La, coverage = Coverage(),
            channel = new { kind = "email", email = "school.nursing@faults.example.invalid" }, contacts = new[] { Contact("School Nurse") },
        });
        await Create(new
        {
            id = "midwifery-" + La, type = "midwifery-team", name = "Synthetic Midwifery", laCode = La, coverage = Coverage(),
            channel = new { kind = "email", email = "midwifery@faults.example.invalid" }, contacts = new[] { Contact("Midwife") },
        });
        var hv = await Create(new
        {
            id = "health-visiting-" + La, type = "health-visiting-team", name = "Synthetic Health Visiting", laCode = La, coverage = Coverage(),
            channel = new { kind = "inbox" }, contacts = new[] { Contact("Health Visitor") },
        });
        HealthVisitingKey = await DeliveryApi.IssueKeyAsync(this, hv);
        var mash = await Create(new
        {
            id = "mash-" + La, type = "mash", name = "Synthetic MASH", laCode = La, channel = new { kind = "inbox" }, contacts = new[] { Contact("MASH Duty Officer") },
        });
        MashKey = await DeliveryApi.IssueKeyAsync(this, mash);
        await Create(new
        {
            id = "school-" + LoneSchoolUrn, type = "school", name = "Synthetic Lone School", urn = LoneSchoolUrn, laCode = LoneLa, phase = "Primary",
            statutoryLowAge = 4, statutoryHighAge = 11, channel = new { kind = "email", email = LoneSchoolEmail }, contacts = new[] { Contact("Head Teacher") },
        });
        await Create(new
        {
            id = "lead-" + LoneLa, type = "partnership-lead", name = "Synthetic Lone Partnership", laCodes = new[] { LoneLa },
            contacts = new[] { Contact("Lone Board Manager") },
            escalationContacts = EscalationContacts.Select(e => new { email = e, recipientTypes = Array.Empty<string>() }).ToArray(),
        });
        await Create(new
        {
            id = "lead-" + La, type = "partnership-lead", name = "Synthetic Partnership", laCodes = new[] { La },
            contacts = new[] { Contact("Board Manager") },
            escalationContacts = EscalationContacts.Select(e => new { email = e, recipientTypes = Array.Empty<string>() }).ToArray(),
        });
    }

    /// <summary>Arms (or, with null, disarms) the fault policy: a new plan, counted from now.</summary>
    public async Task ArmAsync(string mode, int at, string match = Writes, int times = 1)
    {
        var plan = new { id = Guid.NewGuid().ToString("N"), mode, at, times, match };
        await File.WriteAllTextAsync(PlanFile + ".tmp", JsonSerializer.Serialize(plan));
        File.Move(PlanFile + ".tmp", PlanFile, overwrite: true);
    }

    /// <summary>The storage requests that change something (the ones whose failure matters; reads that fail only delay).</summary>
    public const string Writes = "^(POST|PUT|PATCH|MERGE|DELETE) ";

    /// <summary>What the policy has counted under the current plan, and whether (and where) it fired.</summary>
    public async Task<(int Count, bool Fired, string? Request)> FaultStateAsync()
    {
        var file = PlanFile + ".state";
        if (!File.Exists(file)) return (0, false, null);
        var state = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
        return (state.GetProperty("count").GetInt32(), state.GetProperty("fired").GetBoolean(),
            state.TryGetProperty("request", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null);
    }
}
