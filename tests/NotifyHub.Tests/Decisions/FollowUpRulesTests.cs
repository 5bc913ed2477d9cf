using System.Text.Json;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Ledger;

namespace NotifyHub.Tests.Decisions;

/// <summary>The pure rules of a decision's follow-ups: their keys, who is sent what, challenges and their answers, and the report's counts.</summary>
public sealed class FollowUpRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private const string Incident = "inc_0123456789abcdef0123456789abcdef";

    private static MashDecision Decision(int version = 1) => new("dec_x", version, DecisionOutcomes.EarlyHelp, [0], Now.AddHours(-1), true, ["police"],
        "Synthetic rationale.", [new NextStep("school-100001", "Offer a trusted adult", new DateOnly(2026, 11, 27)), new NextStep("hv-1", "Visit", new DateOnly(2026, 11, 26))],
        "mash-1", "key_1", Now);

    private static readonly FollowUpRecipient School = new("school-100001", "school", "Synthetic School", [0]);
    private static readonly FollowUpRecipient Health = new("hv-1", "health-visiting-team", "Synthetic HV", [0]);
    private static readonly FollowUpRecipient Mash = new("mash-1", "mash", "Synthetic MASH", [0, 1]);
    private static DueInfo Due(FollowUpRecipient _) => new(Now.AddDays(1), "next-working-day 12:00", false);

    [Theory]
    [InlineData("school-100001", "incident", null)]
    [InlineData("school-100001~d2", "decision", 2)]
    [InlineData("school-100001~n3-2", "next-step", 3)]
    [InlineData("mash-1~c1", "challenge", 1)]
    [InlineData("school-100001~r12", "challenge-response", 12)]
    [InlineData("mash-1~due", "decision-due", null)]
    public void A_delivery_key_says_what_it_is_whom_it_is_for_and_its_number(string key, string kind, int? number)
    {
        Assert.Equal(kind, DeliveryKey.KindOf(key));
        Assert.Equal(key.Split('~')[0], DeliveryKey.OrganisationOf(key));
        Assert.Equal(number, DeliveryKey.NumberOf(key));
        Assert.True(NotificationId.TryParse($"{Incident}.{key}", out var incident, out var parsed));
        Assert.Equal((Incident, key), (incident, parsed));
    }

    [Theory]
    [InlineData("school-1~x1")]
    [InlineData("school-1~d")]
    [InlineData("school-1~d01")]
    [InlineData("school-1~n1")]
    [InlineData("school-1~d1~d2")]
    [InlineData("~d1")]
    [InlineData("School-1~d1")]
    public void A_malformed_key_is_not_a_notification_id(string key) =>
        Assert.False(NotificationId.TryParse($"{Incident}.{key}", out _, out _));

    [Fact]
    public void A_version_goes_to_every_agency_involved_but_the_deciding_MASH_a_school_without_the_rationale_and_each_next_step_to_its_owner()
    {
        var made = FollowUps.ForVersion(Incident, Decision(), [School, Health, Mash, School], new Dictionary<string, FollowUpRecipient> { [School.Id] = School, [Health.Id] = Health },
            Due, "DEMO", "REF-1", Now);
        var keys = made.Select(m => m.Change.Record.RecipientId).ToList();
        Assert.Equal(["school-100001~d1", "hv-1~d1", "school-100001~n1-1", "hv-1~n1-2"], keys);
        Assert.All(made, m => Assert.Equal(LedgerEventTypes.DeliveryRouted, m.Change.Events[0].Type));

        var school = JsonDocument.Parse(made[0].Content).RootElement;
        Assert.False(school.TryGetProperty("rationale", out _));
        Assert.False(school.TryGetProperty("jointWith", out _));
        Assert.Equal(["school-100001"], school.GetProperty("nextSteps").EnumerateArray().Select(s => s.GetProperty("owner").GetString()));
        var health = JsonDocument.Parse(made[1].Content).RootElement;
        Assert.Equal("Synthetic rationale.", health.GetProperty("rationale").GetString());
        Assert.Equal(2, health.GetProperty("nextSteps").GetArrayLength());

        var step = made[3].Change.Record;
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 17, 0, 0, TimeSpan.Zero), step.DueAt); // 17:00 UK time in winter
        Assert.Equal("Visit", JsonDocument.Parse(made[3].Content).RootElement.GetProperty("action").GetString());
    }

    [Fact]
    public void The_decision_due_from_a_MASH_is_never_sent_and_its_first_decision_meets_it_once()
    {
        var mash = DeliveryRecord.New(Incident, "mash-1", "mash", "Synthetic MASH", "mash", [0], [], 0, "DEMO", "REF-1", null, Now.AddHours(-30));
        var due = FollowUps.DecisionDue(mash, Now.AddHours(-6), Now.AddHours(-30)).Record;
        Assert.Equal("mash-1~due", due.RecipientId);
        Assert.False(due.IsOpen);
        Assert.True(due.AwaitsJudgement);
        Assert.False(due.AwaitsDecision);

        var met = FollowUps.Decided(due, 1, Now);
        Assert.True(met.Changed);
        Assert.Equal(false, met.Events[0].Data["byDue"]);
        Assert.False(FollowUps.Decided(met.Record, 2, Now.AddHours(1)).Changed);
    }

    [Fact]
    public void A_challenge_goes_to_the_MASH_names_its_challenger_and_version_and_its_answer_goes_to_everyone_the_version_went_to_but_the_MASH()
    {
        var mash = DeliveryRecord.New(Incident, "mash-1", "mash", "Synthetic MASH", "mash", [0], [], 0, "DEMO", "REF-1", null, Now);
        var share = DeliveryRecord.New(Incident, "school-100001~d1", "school", "Synthetic School", "decision", [0], [], 0, "DEMO", "REF-1", null, Now);
        var (raised, content) = FollowUps.Challenge(share, mash, 1, "Why.", "What.", new DueInfo(Now.AddDays(2), "working-days 2", false), Now);
        Assert.Equal("mash-1~c1", raised.Record.RecipientId);
        Assert.Equal(("school-100001", 1, "school"), FollowUps.ChallengeOf(raised.Record));
        Assert.Contains(raised.Events, e => e.Type == LedgerEventTypes.ChallengeRaised && e.String("byType") == "school");
        Assert.Equal("Why.", JsonDocument.Parse(content).RootElement.GetProperty("reason").GetString());

        var answered = FollowUps.Answer(raised.Record, new AcknowledgedBy("A", "Manager"), ChallengeResponses.NotUpheld, "Because.", null, [School, Health, Mash], Due,
            Now.AddDays(3));
        Assert.Equal(["mash-1~c1", "school-100001~r1", "hv-1~r1"], answered.Select(a => a.Change.Record.RecipientId));
        Assert.Equal(ChallengeResponses.NotUpheld, answered[0].Change.Record.Answer);
        Assert.Contains(answered[0].Change.Events, e => e.Type == LedgerEventTypes.ChallengeAnswered && e.Data["byDue"] is false);
        Assert.Empty(FollowUps.Answer(answered[0].Change.Record, new AcknowledgedBy("B", "Manager"), ChallengeResponses.Upheld, "Again.", 2, [School], Due, Now));
    }

    [Fact]
    public void A_challenge_goes_to_the_MASHs_manager_contact_by_email_and_without_one_through_the_MASHs_own_channel()
    {
        var manager = new NotifyHub.Domain.Directory.Contact("A Manager", "MASH Team Manager", "manager@example.invalid", null);
        var duty = new NotifyHub.Domain.Directory.Contact("Duty", "Duty officer", "duty@example.invalid", null);
        var mash = new NotifyHub.Domain.Directory.Organisation("mash-1", "mash", "Synthetic MASH", true, Contacts: [duty, manager],
            Channel: new NotifyHub.Domain.Directory.ChannelSettings("inbox", null, null));
        Assert.Equal([DeliveryChannels.Email], ChannelPlan.For(mash, DeliveryKinds.Challenge));
        Assert.Equal("manager@example.invalid", ChannelPlan.EmailAddress(mash, DeliveryKinds.Challenge));
        Assert.Equal([DeliveryChannels.Inbox], ChannelPlan.For(mash, DeliveryKinds.Decision));
        Assert.Equal("duty@example.invalid", ChannelPlan.EmailAddress(mash, DeliveryKinds.Incident));
        var noManager = mash with { Contacts = [duty] };
        Assert.Equal([DeliveryChannels.Inbox], ChannelPlan.For(noManager, DeliveryKinds.Challenge));
    }

    [Theory]
    [InlineData("""{"response":"upheld","reasons":"r","respondedBy":{"name":"A","role":"B"}}""", 2, "newVersion")]
    [InlineData("""{"response":"upheld","reasons":"r","newVersion":1,"respondedBy":{"name":"A","role":"B"}}""", 2, "newVersion")]
    [InlineData("""{"response":"upheld","reasons":"r","newVersion":3,"respondedBy":{"name":"A","role":"B"}}""", 2, "newVersion")]
    [InlineData("""{"response":"not-upheld","reasons":"r","newVersion":2,"respondedBy":{"name":"A","role":"B"}}""", 2, "newVersion")]
    [InlineData("""{"response":"maybe","reasons":"r","respondedBy":{"name":"A","role":"B"}}""", 2, "response")]
    [InlineData("""{"response":"not-upheld","reasons":"r"}""", 2, "respondedBy")]
    [InlineData("""{"response":"not-upheld","reasons":"","respondedBy":{"name":"A","role":"B"}}""", 2, "reasons")]
    public void A_bad_answer_to_a_challenge_names_the_field(string json, int latest, string field)
    {
        var read = ChallengeInput.ValidateAnswer(JsonDocument.Parse(json).RootElement, 1, latest);
        Assert.False(read.IsValid);
        Assert.Contains(field, read.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void The_report_counts_versions_acknowledged_by_every_agency_by_due_challenges_by_agency_type_and_overdue_next_steps()
    {
        FollowUpRow Row(string incident, string kind, int number, DateTimeOffset due, DateTimeOffset? ack, string type = "school", string? challenger = null,
            string? answer = null) => new(incident, kind, type, number, Now.AddDays(-5), due, ack, challenger, answer);
        var rows = new List<FollowUpRow>
        {
            // Version 1 of incident a: both shares acknowledged by their due time.
            Row("a", "decision", 1, Now.AddDays(-4), Now.AddDays(-4.5)), Row("a", "decision", 1, Now.AddDays(-4), Now.AddDays(-4.2), "police-force"),
            // Version 1 of incident b: one acknowledged late.
            Row("b", "decision", 1, Now.AddDays(-4), Now.AddDays(-3)), Row("b", "decision", 1, Now.AddDays(-4), Now.AddDays(-4.9)),
            // Version 1 of incident c: not yet due, not acknowledged: not judged.
            Row("c", "decision", 1, Now.AddDays(1), null),
            Row("a", "challenge", 1, Now.AddDays(-3), Now.AddDays(-4), "mash", "school", ChallengeResponses.Upheld),
            Row("b", "challenge", 1, Now.AddDays(-1), null, "mash", "health-visiting-team"),
            Row("a", "next-step", 1, Now.AddDays(-1), null), Row("b", "next-step", 1, Now.AddDays(2), null), Row("c", "next-step", 1, Now.AddDays(-1), Now.AddDays(-2)),
        };
        var report = DecisionReport.Build(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), null, [], [], rows, (r, _) => r.AddHours(24), Now);
        Assert.Equal(new SharingLine(3, 2, 1, 0.5, 5, 3), report.Sharing);
        Assert.Equal((2, 1, 1, 0, 1, 1), (report.Challenges.Raised, report.Challenges.Answered, report.Challenges.Upheld, report.Challenges.NotUpheld,
            report.Challenges.Open, report.Challenges.Overdue));
        Assert.Equal(new Dictionary<string, int> { ["health-visiting-team"] = 1, ["school"] = 1 }, report.Challenges.ByAgencyType);
        Assert.Equal(1, report.Challenges.TimeToResolution.Count);
        Assert.Equal(new NextStepLine(3, 1, 1, 1), report.NextSteps);
    }
}
