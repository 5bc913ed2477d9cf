using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using NotifyHub.Domain.Evidence;
using NotifyHub.Evidence;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Evidence;

/// <summary>
/// docs/evidence.md tells inspectors how to check an export by hand, with a worked example and the development public
/// key: these hold the example and the key to the code, so that what the page says is what the verifier does.
/// </summary>
public sealed class EvidenceDocumentationTests
{
    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([RepoPaths.Root, .. path]));

    private static ECDsa DevelopmentPublicKey()
    {
        var (key, problem) = EvidenceSignature.ReadPublic(Read("docs", "examples", "evidence-development-key.pem"));
        Assert.True(key is not null, problem);
        return key;
    }

    [Fact]
    public void The_example_export_verifies_against_the_development_public_key()
    {
        using var key = DevelopmentPublicKey();
        var report = EvidenceVerifier.Verify(JsonNode.Parse(Read("docs", "examples", "evidence-export.json")),
            new Dictionary<string, ECDsa> { [EvidenceSignature.KeyId(key)] = key });
        Assert.True(report.Outcome == VerifyOutcome.Verified, report.Failure);
    }

    [Fact]
    public void The_development_public_key_in_the_docs_is_that_of_the_key_in_local_settings()
    {
        var settings = JsonNode.Parse(Read("functions", "local.settings.json"))!["Values"]!;
        using var signing = ECDsa.Create();
        signing.ImportFromPem(settings["Evidence__SigningKey"]!.GetValue<string>());
        var pem = EvidenceSignature.PublicPem(signing);

        Assert.Equal(pem, Read("docs", "examples", "evidence-development-key.pem").TrimEnd());
        Assert.Contains(pem, Read("docs", "evidence.md"), StringComparison.Ordinal);
        Assert.Equal(EvidenceOptions.DevelopmentKeyId, EvidenceSignature.KeyId(signing));
        Assert.Contains(EvidenceOptions.DevelopmentKeyId, Read("docs", "evidence.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_example_export_matches_the_EvidenceExport_schema_of_the_OpenAPI_document()
    {
        var openApi = JsonNode.Parse(Read("docs", "openapi.json"))!;
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://notifyhub.example/openapi/" + Guid.NewGuid().ToString("N"),
            ["$ref"] = "#/components/schemas/EvidenceExport",
            ["components"] = openApi["components"]!.DeepClone(),
        };
        var schema = JsonSchema.FromText(wrapper.ToJsonString());
        using var example = JsonDocument.Parse(Read("docs", "examples", "evidence-export.json"));
        var result = schema.Evaluate(example.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, string.Join("; ", errors));
    }
}
