using System.Text.Json;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Decisions;

/// <summary>A challenge as a recipient of a decision raises it: why, and what it asks for.</summary>
public sealed record ChallengeRequest(string Reason, string Asks);

/// <summary>The MASH's answer to a challenge: upheld (with the version that replaced the one challenged) or not, the reasons, and who answered.</summary>
public sealed record ChallengeAnswer(string Response, string Reasons, int? NewVersion, AcknowledgedBy By);

/// <summary>Reads challenges and their answers, naming every bad field at once (docs/decisions.md, "Challenging a decision").</summary>
public static class ChallengeInput
{
    public const int MaxReason = 4000;
    public const int MaxAsks = 2000;

    /// <summary><c>{"reason","asks"}</c>: both required.</summary>
    public static Validated<ChallengeRequest> Validate(JsonElement body)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var reason = f.String("reason", MaxReason, required: true);
        var asks = f.String("asks", MaxAsks, required: true);
        f.RefuseUnknownFields();
        return errors.Any ? new(null, errors) : new(new ChallengeRequest(reason!, asks!), errors);
    }

    /// <summary>
    /// <c>{"response":"upheld"|"not-upheld","reasons","newVersion","respondedBy":{"name","role"}}</c>. An upheld challenge names
    /// the decision version recorded since (<paramref name="challengedVersion"/> &lt; newVersion ≤ <paramref name="latestVersion"/>);
    /// one not upheld names none.
    /// </summary>
    public static Validated<ChallengeAnswer> ValidateAnswer(JsonElement body, int challengedVersion, int latestVersion)
    {
        var errors = new FieldErrors();
        var f = JsonFields.Object(body, "", errors);
        if (f is null) return new(null, errors);
        var response = f.String("response", 20, required: true);
        if (response is not null && !ChallengeResponses.All.Contains(response))
            f.Fail("response", "must be one of " + string.Join(", ", ChallengeResponses.All));
        var reasons = f.String("reasons", MaxReason, required: true);
        var newVersion = f.Integer("newVersion", required: false, min: 1, max: 1_000_000);
        if (response == ChallengeResponses.Upheld && !f.Failed("newVersion"))
        {
            if (newVersion is null)
                f.Fail("newVersion", "is required when the challenge is upheld: record the new decision first, then give its version");
            else if (newVersion <= challengedVersion || newVersion > latestVersion)
                f.Fail("newVersion", latestVersion > challengedVersion
                    ? $"must be a decision version recorded after the one challenged ({challengedVersion + 1} to {latestVersion})"
                    : $"must be a decision version recorded after the one challenged (version {challengedVersion}); none has been recorded yet");
        }
        if (response == ChallengeResponses.NotUpheld && newVersion is not null) f.Fail("newVersion", "must be left out when the challenge is not upheld");
        var by = f.Nested("respondedBy", required: true, n =>
        {
            var name = n.String("name", AcknowledgementInput.MaxLength, required: true);
            var role = n.String("role", AcknowledgementInput.MaxLength, required: true);
            return name is null || role is null ? null : new AcknowledgedBy(name, role);
        });
        f.RefuseUnknownFields();
        return errors.Any || by is null ? new(null, errors) : new(new ChallengeAnswer(response!, reasons!, newVersion, by), errors);
    }
}
