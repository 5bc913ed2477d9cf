using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Validation;

public sealed class BadInputHubFixture : HubFixture
{
    public string ForceCode { get; private set; } = "";
    public string PoliceKey { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (ForceCode, PoliceKey) = await NewForceAsync();
    }
}

/// <summary>
/// Each class of malformed input found by the corpus that was run against the hub — invalid Unicode in any
/// field, dates at the edges of what .NET can represent, digits from other scripts in codes, duplicate keys —
/// answered 400 problem+json naming the field, through the real hub. Then a sample of random mutations over
/// HTTP: never a 5xx, never a 2xx for a body invalid by construction.
/// </summary>
public class BadInputCorpusTests(BadInputHubFixture hub) : IClassFixture<BadInputHubFixture>
{
    private JsonObject Incident() => ExampleIncident.For(hub.ForceCode, "BAD-" + Guid.NewGuid().ToString("N")[..10], DateTimeOffset.UtcNow).WithUniqueChildren();

    private static byte[] Bytes(JsonObject body, string? marker = null, byte[]? replacement = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        if (marker is null) return bytes;
        var text = body.ToJsonString();
        var at = Encoding.UTF8.GetByteCount(text[..text.IndexOf(marker, StringComparison.Ordinal)]);
        return [.. bytes[..at], .. replacement!, .. bytes[(at + Encoding.UTF8.GetByteCount(marker))..]];
    }

    private async Task<JsonElement> RefusedAsync(string path, string key, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Api-Key", key);
        using var response = await hub.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    private static void Names(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem should name {field}: {problem}");

    public static TheoryData<string, string, string> Incidents => new()
    {
        // field to set, the value (raw JSON text), the field the problem must name
        { "summary", "\"x\\ud800y\"", "summary" },
        { "children[0].givenName", "\"\\udfff\"", "children[0].givenName" },
        { "officer.name", "\"a\\ud83d\"", "officer.name" },
        { "occurredAt", "\"0001-01-01T00:00:00+01:00\"", "occurredAt" },
        { "occurredAt", "\"9999-12-31T23:59:59-14:00\"", "occurredAt" },
        { "occurredAt", "\"0001-01-01T00:00:00Z\"", "occurredAt" },
        { "reportedAt", "\"9999-12-31T23:59:59.9999999+14:00\"", "reportedAt" },
        { "children[0].dateOfBirth", "\"0001-01-01\"", "children[0].dateOfBirth" },
        { "children[0].dateOfBirth", "\"9999-12-31\"", "children[0].dateOfBirth" },
        { "adults[0].dateOfBirth", "\"0001-01-01\"", "adults[0].dateOfBirth" },
        { "location.laCode", "\"٨٤٠\"", "location.laCode" },
        { "location.laCode", "\"８４０\"", "location.laCode" },
        { "children[0].schoolUrn", "\"１００００１\"", "children[0].schoolUrn" },
        { "children[0].gpPracticeOdsCode", "\"A٩٩001\"", "children[0].gpPracticeOdsCode" },
        { "officer.phone", "\"٠١٢٣٤ ٥٦٧٨٩٠\"", "officer.phone" },
    };

    [Theory]
    [MemberData(nameof(Incidents))]
    public async Task A_malformed_incident_field_is_a_400_naming_it(string field, string rawValue, string named)
    {
        var incident = Incident();
        const string marker = "__MARKER__";
        incident.With(field, marker);
        var text = incident.ToJsonString().Replace($"\"{marker}\"", rawValue, StringComparison.Ordinal);

        Names(await RefusedAsync("/api/incidents", hub.PoliceKey, Encoding.UTF8.GetBytes(text)), named);
    }

    [Theory]
    [InlineData("summary")]
    [InlineData("children[1].familyName")]
    [InlineData("officer.email")]
    public async Task Text_that_is_not_valid_UTF8_is_a_400_naming_the_field(string field)
    {
        var incident = Incident().With(field, "__BAD__");
        Names(await RefusedAsync("/api/incidents", hub.PoliceKey, Bytes(incident, "__BAD__", [0xC3, 0x28, 0xFF, 0xFE])), field);
    }

    [Fact]
    public async Task A_duplicate_key_is_a_400_naming_it_so_one_body_cannot_carry_two_force_codes()
    {
        var text = Incident().ToJsonString();
        var twice = "{\"forceCode\":\"OTHER\"," + text[1..];
        Names(await RefusedAsync("/api/incidents", hub.PoliceKey, Encoding.UTF8.GetBytes(twice)), "forceCode");

        var nested = Incident().ToJsonString().Replace("\"givenName\":", "\"givenName\":\"First\",\"givenName\":", StringComparison.Ordinal);
        Names(await RefusedAsync("/api/incidents", hub.PoliceKey, Encoding.UTF8.GetBytes(nested)), "children[0].givenName");
    }

    [Fact]
    public async Task An_organisation_body_with_bad_unicode_foreign_digits_or_duplicate_keys_is_a_400_naming_the_field()
    {
        JsonObject School() => new() { ["id"] = "school-123456", ["type"] = "school", ["name"] = "Synthetic", ["urn"] = "__URN__", ["laCode"] = "840" };

        var foreignUrn = School().ToJsonString().Replace("__URN__", "١٢٣٤٥٦", StringComparison.Ordinal);
        Names(await RefusedAsync("/api/admin/organisations", hub.AdminKey, Encoding.UTF8.GetBytes(foreignUrn)), "urn");

        var loneName = School().ToJsonString().Replace("\"Synthetic\"", "\"Synth\\ud800etic\"", StringComparison.Ordinal);
        Names(await RefusedAsync("/api/admin/organisations", hub.AdminKey, Encoding.UTF8.GetBytes(loneName)), "name");

        var twoTypes = "{\"type\":\"police-force\"," + School().ToJsonString()[1..];
        Names(await RefusedAsync("/api/admin/organisations", hub.AdminKey, Encoding.UTF8.GetBytes(twoTypes)), "type");

        var laCode = School().ToJsonString().Replace("__URN__", "123456", StringComparison.Ordinal).Replace("\"840\"", "\"８４０\"", StringComparison.Ordinal);
        Names(await RefusedAsync("/api/admin/organisations", hub.AdminKey, Encoding.UTF8.GetBytes(laCode)), "laCode");
    }

    [Fact]
    public async Task Random_mutations_over_HTTP_never_get_a_5xx_nor_a_2xx_when_invalid()
    {
        var failures = new List<string>();
        async Task SampleAsync(JsonObject valid, int seed, int count, string path, string key)
        {
            var mutator = new BodyMutator(valid, seed);
            for (var i = 0; i < count; i++)
            {
                var mutation = mutator.Next();
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(mutation.Body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                request.Headers.Add("X-Api-Key", key);
                using var response = await hub.Http.SendAsync(request);
                var status = (int)response.StatusCode;
                if (status >= 500 || (mutation.DefinitelyInvalid && status < 300))
                    failures.Add($"{path} seed {seed} #{i} ({mutation.Description}): {status} {await response.Content.ReadAsStringAsync()}");
            }
        }

        await SampleAsync(Incident(), 11, 150, "/api/incidents", hub.PoliceKey);
        await SampleAsync(MalformedInputFuzzTests.ValidHealthTeam(), 12, 75, "/api/admin/organisations", hub.AdminKey);
        await SampleAsync(MalformedInputFuzzTests.ValidSchool(), 13, 75, "/api/admin/organisations", hub.AdminKey);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}

/// <summary>The check every JSON body passes before its fields are read (pure).</summary>
public class JsonTextTests
{
    private static NotifyHub.Domain.Validation.FieldErrors Check(byte[] json)
    {
        var errors = new NotifyHub.Domain.Validation.FieldErrors();
        using var document = JsonDocument.Parse(json);
        NotifyHub.Domain.Validation.JsonText.Check(document.RootElement, errors);
        return errors;
    }

    [Fact]
    public void Valid_text_and_distinct_keys_pass()
    {
        Assert.False(Check(Encoding.UTF8.GetBytes("""{"a":"Zoë 😀","b":{"c":["x","y"]},"d":[{"e":1},{"e":2}]}""")).Any);
    }

    [Fact]
    public void A_lone_surrogate_in_a_value_or_a_name_and_invalid_UTF8_are_named_by_path()
    {
        var errors = Check(Encoding.UTF8.GetBytes("""{"a":{"b":["ok","\ud800"]},"\udc00":1}""")).ToDictionary();
        Assert.Contains("a.b[1]", errors.Keys);
        Assert.Contains("$", errors.Keys);

        byte[] bad = [.. Encoding.UTF8.GetBytes("""{"name":"x"""), 0xFF, .. Encoding.UTF8.GetBytes("\"}")];
        Assert.Contains("name", Check(bad).ToDictionary().Keys);
    }

    [Fact]
    public void A_key_given_twice_in_one_object_is_named_but_the_same_key_in_two_objects_is_fine()
    {
        var errors = Check(Encoding.UTF8.GetBytes("""{"x":[{"k":1},{"k":2}],"y":{"k":1,"k":2}}""")).ToDictionary();
        Assert.Equal(["y.k"], errors.Keys);
    }
}
