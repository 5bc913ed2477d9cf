using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using NotifyHub.Bench;
using NotifyHub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NotifyHub.Tests.RecipientDirectory;

public class GiasFullSizeImportTests(ITestOutputHelper output)
{
    /// <summary>The import's speed is measured by the benchmark (bench/results/gias-import.md), not asserted here.</summary>
    [Fact]
    public async Task A_full_size_generated_extract_of_50000_rows_imports_and_reimports_unchanged()
    {
        await using var hub = await DirectoryHub.StartAsync();
        var header = SyntheticGias.ReadHeader(Path.Combine(RepoPaths.Root, "tests", "NotifyHub.Tests", "Directory", "Data", "edubasealldata-sample.csv"));
        using var file = new MemoryStream();
        SyntheticGias.Write(file, header, 50_000);

        async Task<JsonObject> ImportAsync()
        {
            var content = new ByteArrayContent(file.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var response = await hub.Admin.PostAsync("/api/admin/directory/gias", content);
            var text = await response.Content.ReadAsStringAsync();
            output.WriteLine(text[..Math.Min(600, text.Length)]);
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonNode.Parse(text)!.AsObject();
        }

        var first = await ImportAsync();
        var second = await ImportAsync();
        Assert.Equal(0, first["errorCount"]!.GetValue<int>());
        Assert.InRange(first["added"]!.GetValue<int>(), 38_000, 42_000);
        Assert.Equal(first["added"]!.GetValue<int>(), second["unchanged"]!.GetValue<int>());
    }
}
