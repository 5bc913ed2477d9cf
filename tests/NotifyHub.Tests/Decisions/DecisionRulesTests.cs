using System.Text.Json;
using NotifyHub.Domain.Decisions;
using NotifyHub.Domain.Ledger;

namespace NotifyHub.Tests.Decisions;

/// <summary>The pure rules of a MASH's decision: reading one, and recording it as a version.</summary>
public sealed class DecisionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Received = Now.AddHours(-3);

    private static Validated Read(string json, int children = 2) => new(DecisionInput.Validate(JsonDocument.Parse(json).RootElement, children, Received, Now));

    private sealed record Validated(NotifyHub.Domain.Validation.Validated<DecisionRequest> Result)
    {
        public IDictionary<string, string[]> Errors => Result.Errors.ToDictionary();
    }

    [Fact]
    public void A_whole_incident_decision_with_no_children_and_no_next_steps_is_read_as_given()
    {
        var read = Read("""{"outcome":"no-further-action","decidedAt":"2026-11-25T09:30:00Z","joint":false,"rationale":"Synthetic."}""");
        Assert.True(read.Result.IsValid, string.Join("; ", read.Errors.Select(e => e.Key)));
        Assert.Empty(read.Result.Value!.Children);
        Assert.Empty(read.Result.Value.NextSteps);
    }

    [Theory]
    [InlineData("""{"outcome":"early-help","decidedAt":"2026-11-25T09:30:00Z","joint":true,"rationale":"r"}""", "jointWith")]
    [InlineData("""{"outcome":"early-help","decidedAt":"2026-11-25T09:30:00Z","joint":false,"jointWith":["police"],"rationale":"r"}""", "jointWith")]
    [InlineData("""{"outcome":"early-help","decidedAt":"2026-11-25T09:30:00Z","joint":true,"jointWith":["the-council"],"rationale":"r"}""", "jointWith[0]")]
    [InlineData("""{"outcome":"early-help","decidedAt":"2026-11-25T06:00:00Z","joint":false,"rationale":"r"}""", "decidedAt")]
    [InlineData("""{"outcome":"early-help","decidedAt":"2026-11-25T10:06:00Z","joint":false,"rationale":"r"}""", "decidedAt")]
    [InlineData("""{"outcome":"early-help","children":[2],"decidedAt":"2026-11-25T09:30:00Z","joint":false,"rationale":"r"}""", "children[0]")]
    [InlineData("""{"outcome":"early-help","decidedAt":"2026-11-25T09:30:00Z","joint":false,"rationale":"r","nextSteps":[{"owner":"x","action":"a","dueOn":"2026-11-24"}]}""", "nextSteps[0].dueOn")]
    [InlineData("""{"outcome":"Early Help","decidedAt":"2026-11-25T09:30:00Z","joint":false,"rationale":"r"}""", "outcome")]
    [InlineData("""[]""", "$")]
    public void A_bad_field_is_named(string json, string field)
    {
        var read = Read(json);
        Assert.False(read.Result.IsValid);
        Assert.Contains(field, read.Errors.Keys);
    }

    [Fact]
    public void Recording_is_a_new_version_each_time_and_a_retried_request_adds_none()
    {
        var request = Read("""{"outcome":"early-help","decidedAt":"2026-11-25T09:30:00Z","joint":false,"rationale":"r"}""").Result.Value!;
        var mash = NotifyHub.Domain.Delivery.DeliveryRecord.New("inc_1", "mash-1", "mash", "Synthetic MASH", "mash", [0, 1], [], 0, "SYN", "R-1", null, Received);
        Assert.True(mash.AwaitsDecision);
        var (first, decided, recorded) = DecisionChanges.Record([], mash, request, "dec_a", "key_1", Now);
        Assert.Equal(1, first.Version);
        Assert.Equal(LedgerEventTypes.DecisionRecorded, recorded!.Type);
        Assert.Equal("mash-1", recorded.Subject);
        Assert.DoesNotContain("r", recorded.Data.Values.OfType<string>());
        Assert.False(decided.AwaitsDecision);
        Assert.Equal(new NotifyHub.Domain.Delivery.DecisionMade(1, "early-help", Now, request.DecidedAt, false), decided.Decided);

        var (second, decidedAgain, _) = DecisionChanges.Record([first], decided, request, "dec_b", "key_1", Now);
        Assert.Equal(2, second.Version);
        Assert.Equal(2, decidedAgain.Decided!.Version);
        var (again, unchanged, none) = DecisionChanges.Record([first, second], decidedAgain, request, "dec_b", "key_1", Now.AddSeconds(5));
        Assert.Null(none);
        Assert.Same(second, again);
        Assert.Same(decidedAgain, unchanged);
    }
}
