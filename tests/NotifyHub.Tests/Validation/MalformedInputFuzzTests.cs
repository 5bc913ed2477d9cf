using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NotifyHub.Domain.Directory;
using NotifyHub.Domain.Incidents;
using NotifyHub.Domain.Validation;
using NotifyHub.Hosting;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Validation;

/// <summary>
/// Thousands of mutations of valid bodies (fixed seeds: a failure names its seed and iteration, and reproduces),
/// read and validated by exactly the code the functions run (<see cref="JsonBody"/> and the validators). None may
/// throw — a throw is a 500 — an invalid body is never accepted, and every problem names a field that exists in
/// the body sent or in the schema's example.
/// </summary>
public class MalformedInputFuzzTests
{
    private static readonly DateTimeOffset Now = ExampleIncident.Now;

    public static JsonObject ValidIncident() => ExampleIncident.Load();

    public static JsonObject ValidHealthTeam() => new()
    {
        ["id"] = "hv-fuzz", ["type"] = "health-visiting-team", ["name"] = "Synthetic Health Visiting Team", ["laCode"] = "840", ["odsCode"] = "RX1",
        ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Synthetic Duty HV", ["role"] = "Duty", ["email"] = "duty@example.invalid", ["phone"] = "01234 567890" }),
        ["channel"] = new JsonObject { ["kind"] = "email", ["email"] = "team@example.invalid" },
        ["coverage"] = new JsonObject { ["gpPracticeOdsCodes"] = new JsonArray("A99001"), ["postcodeDistricts"] = new JsonArray("DH1") },
    };

    public static JsonObject ValidSchool() => new()
    {
        ["id"] = "school-100999", ["type"] = "school", ["name"] = "Synthetic Primary", ["urn"] = "100999", ["laCode"] = "840",
        ["phase"] = "Primary", ["statutoryLowAge"] = 4, ["statutoryHighAge"] = 11, ["postcode"] = "DH1 1AA", ["schoolDayStart"] = "08:45",
        ["channel"] = new JsonObject { ["kind"] = "webhook", ["url"] = "https://school.example.invalid/hook" },
    };

    public static JsonObject ValidCoverage() => new() { ["gpPracticeOdsCodes"] = new JsonArray("A99001", "B81002"), ["postcodeDistricts"] = new JsonArray("DH1", "SR8") };

    [Fact]
    public void The_valid_bodies_the_mutations_start_from_are_accepted()
    {
        Assert.True(Run(ValidIncident(), body => IncidentValidator.Validate(body, Now, new IncidentRules())).Accepted);
        Assert.True(Run(ValidHealthTeam(), OrganisationValidator.ValidateNew).Accepted);
        Assert.True(Run(ValidSchool(), OrganisationValidator.ValidateNew).Accepted);
        Assert.True(Run(ValidCoverage(), OrganisationValidator.ValidateCoverage).Accepted);
    }

    [Theory]
    [InlineData(1, 2500)]
    [InlineData(2, 2500)]
    public void Mutated_incidents_never_throw_are_never_accepted_when_invalid_and_name_real_fields(int seed, int iterations) =>
        Fuzz(ValidIncident(), seed, iterations, body => IncidentValidator.Validate(body, Now, new IncidentRules()));

    [Theory]
    [InlineData(3, 1500)]
    [InlineData(4, 1500)]
    public void Mutated_organisations_never_throw_are_never_accepted_when_invalid_and_name_real_fields(int seed, int iterations)
    {
        Fuzz(ValidHealthTeam(), seed, iterations, OrganisationValidator.ValidateNew);
        Fuzz(ValidSchool(), seed + 100, iterations, OrganisationValidator.ValidateNew);
        Fuzz(ValidSchool(), seed + 200, iterations / 2, body => OrganisationValidator.ValidateReplacement(body, "school-100999"));
    }

    [Fact]
    public void Mutated_coverage_never_throws_is_never_accepted_when_invalid_and_names_real_fields() =>
        Fuzz(ValidCoverage(), 5, 1500, OrganisationValidator.ValidateCoverage);

    public static JsonObject ValidPaths() => new()
    {
        ["paths"] = new JsonArray(new JsonObject { ["recipientType"] = "school", ["via"] = "mash-840", ["autoReleaseWhenLate"] = true },
            new JsonObject { ["recipientType"] = "yos-team", ["via"] = "direct" }),
    };

    public static JsonObject ValidRelease() => new()
    {
        ["releasedBy"] = new JsonObject { ["name"] = "Synthetic Social Worker", ["role"] = "MASH social worker" },
        ["note"] = "Synthetic note for the key adult.", ["remove"] = new JsonArray("child.whatChildSaid", "policeContact"),
    };

    public static JsonObject ValidWithhold() => new()
    {
        ["withheldBy"] = new JsonObject { ["name"] = "Synthetic Social Worker", ["role"] = "MASH social worker" },
        ["reason"] = "child-moved-school", ["newSchoolUrn"] = "123456",
    };

    [Fact]
    public void Mutated_front_door_paths_releases_and_withholdings_never_throw_are_never_accepted_when_invalid_and_name_real_fields()
    {
        Assert.True(Run(ValidPaths(), Domain.FrontDoor.AreaPaths.Validate).Accepted);
        Assert.True(Run(ValidRelease(), body => Domain.FrontDoor.FrontDoorInput.ValidateRelease(body, OrganisationTypes.School)).Accepted);
        Assert.True(Run(ValidWithhold(), Domain.FrontDoor.FrontDoorInput.ValidateWithhold).Accepted);
        Fuzz(ValidPaths(), 6, 1500, Domain.FrontDoor.AreaPaths.Validate);
        Fuzz(ValidRelease(), 7, 1500, body => Domain.FrontDoor.FrontDoorInput.ValidateRelease(body, OrganisationTypes.School));
        Fuzz(ValidWithhold(), 8, 1500, Domain.FrontDoor.FrontDoorInput.ValidateWithhold);
    }

    private static void Fuzz<T>(JsonObject valid, int seed, int iterations, Func<JsonElement, Validated<T>> validate) where T : class
    {
        var mutator = new BodyMutator(valid, seed);
        var known = BodyMutator.PathsOf(valid).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < iterations; i++)
        {
            var mutation = mutator.Next();
            Outcome outcome;
            try
            {
                outcome = Run(mutation.Body, validate);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, iteration {i} ({mutation.Description}) threw {e.GetType().Name}: {e.Message}");
                return;
            }
            if (mutation.DefinitelyInvalid)
                Assert.False(outcome.Accepted, $"seed {seed}, iteration {i}: {mutation.Description} was accepted");
            if (outcome.Accepted) continue;
            Assert.True(outcome.Status is 400 or 413 or 415, $"seed {seed}, iteration {i} ({mutation.Description}): status {outcome.Status}");
            var sent = PathsSent(mutation.Body);
            foreach (var field in outcome.Fields)
            {
                Assert.True(field == "$" || known.Contains(field) || sent.Contains(field),
                    $"seed {seed}, iteration {i} ({mutation.Description}): the problem names '{field}', which is neither in the body nor in the schema");
            }
        }
    }

    private sealed record Outcome(bool Accepted, int Status, IReadOnlyCollection<string> Fields);

    private static Outcome Run<T>(JsonObject body, Func<JsonElement, Validated<T>> validate) where T : class =>
        Run(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), validate);

    private static Outcome Run<T>(byte[] body, Func<JsonElement, Validated<T>> validate) where T : class
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        var (value, problem) = JsonBody.ReadValidatedAsync(context.Request, 64 * 1024, validate, CancellationToken.None).GetAwaiter().GetResult();
        return problem switch
        {
            null => new Outcome(value is not null, 200, []),
            ValidationProblem v => new Outcome(false, v.StatusCode, v.ProblemDetails.Errors.Keys.ToList()),
            ProblemHttpResult p => new Outcome(false, p.StatusCode, []),
            _ => throw new InvalidOperationException("An answer of an unexpected kind: " + problem.GetType().Name),
        };
    }

    private static HashSet<string> PathsSent(byte[] body)
    {
        try
        {
            return BodyMutator.PathsOf(JsonNode.Parse(body)).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return [];
        }
    }
}
