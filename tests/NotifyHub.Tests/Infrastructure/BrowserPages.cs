using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>
/// Runs a journey through the hub's pages in real headless Chromium (browser-pages.mjs): each step as a person takes it,
/// and at each named check the page's status, title, text, axe-core's WCAG 2.2 AA violations, sideways scrolling and focus.
/// </summary>
public static class BrowserPages
{
    public sealed record Check(int? Status, string Url, string Title, string Main, IReadOnlyList<JsonElement> Violations, bool ScrollsSideways, string? Focused)
    {
        public string Describe() => string.Join("\n", Violations.Select(v => v.ToString()));
    }

    public sealed record Journey(IReadOnlyDictionary<string, Check> Checks, IReadOnlyDictionary<string, string> Texts,
        IReadOnlyList<string> ConsoleErrors, IReadOnlyList<JsonElement> CspViolations, IReadOnlyList<string> Requests);

    /// <param name="steps">Steps as browser-pages.mjs takes them, e.g. <c>new { @goto = url }</c>, <c>new { check = "landing" }</c>.</param>
    public static async Task<Journey> WalkAsync(IEnumerable<object> steps, int width = 1280, int height = 900, bool javaScript = true)
    {
        var plan = JsonSerializer.Serialize(new { viewport = new { width, height }, javaScript, steps });
        var info = new ProcessStartInfo("node", [Path.Combine(AppContext.BaseDirectory, "Infrastructure", "browser-pages.mjs")])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["NOTIFYHUB_ROOT"] = RepoPaths.Root;
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(plan);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"the browser journey failed: {await stderr}\n{await stdout}");
        var root = JsonNode.Parse(await stdout)!;
        var checks = root["checks"]!.AsObject().ToDictionary(p => p.Key, p => new Check(
            p.Value!["status"]?.GetValue<int>(), p.Value["url"]!.GetValue<string>(), p.Value["title"]!.GetValue<string>(), p.Value["main"]!.GetValue<string>(),
            [.. p.Value["violations"]!.AsArray().Select(v => JsonSerializer.Deserialize<JsonElement>(v!.ToJsonString()))],
            p.Value["scrollsSideways"]!.GetValue<bool>(), p.Value["focused"]?.GetValue<string>()));
        return new Journey(checks, root["texts"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()),
            [.. root["consoleErrors"]!.AsArray().Select(e => e!.GetValue<string>())],
            [.. root["cspViolations"]!.AsArray().Select(v => JsonSerializer.Deserialize<JsonElement>(v!.ToJsonString()))],
            [.. root["requests"]!.AsArray().Select(r => r!.GetValue<string>())]);
    }

    /// <summary>
    /// Checks the page as it stands at 1280 px, at 320 px (WCAG reflow: 1280 px at 400 % zoom) and at 640 px (1280 px at
    /// 200 % zoom), named <c>{name}</c>, <c>{name}@320</c> and <c>{name}@200%</c>, with a screenshot of each when
    /// screenshots are asked for (<see cref="Screenshots"/>); then returns to 1280 px.
    /// </summary>
    public static IEnumerable<object> CheckAtEverySize(string name)
    {
        yield return new { check = name };
        if (ScreenshotPath(name) is { } wide) yield return new { screenshot = wide };
        yield return new { viewport = new { width = 320, height = 640 } };
        yield return new { check = name + "@320" };
        if (ScreenshotPath(name + "-320") is { } narrow) yield return new { screenshot = narrow };
        yield return new { viewport = new { width = 640, height = 450 } };
        yield return new { check = name + "@200%" };
        yield return new { viewport = new { width = 1280, height = 900 } };
    }

    /// <summary>
    /// Where page screenshots go: the folder in <c>NOTIFYHUB_SCREENSHOTS</c> (scripts/screenshots sets it to
    /// docs/screenshots), else none are taken.
    /// </summary>
    public static string? Screenshots => Environment.GetEnvironmentVariable("NOTIFYHUB_SCREENSHOTS") is { Length: > 0 } folder ? folder : null;

    private static string? ScreenshotPath(string name) => Screenshots is { } folder ? Path.Combine(folder, name + ".png") : null;

    /// <summary>Every check passed axe with no violation, did not scroll sideways, and nothing broke the page's policy or script.</summary>
    public static void AssertAccessible(Journey journey)
    {
        foreach (var (name, check) in journey.Checks)
        {
            Assert.True(check.Violations.Count == 0, $"{name} ({check.Url}) has axe violations:\n{check.Describe()}");
            Assert.False(check.ScrollsSideways, $"{name} ({check.Url}) scrolls sideways");
        }
        Assert.True(journey.CspViolations.Count == 0, "Content-Security-Policy violations: " + string.Join("; ", journey.CspViolations));
        Assert.True(journey.ConsoleErrors.Count == 0, "console errors: " + string.Join("; ", journey.ConsoleErrors));
    }
}
