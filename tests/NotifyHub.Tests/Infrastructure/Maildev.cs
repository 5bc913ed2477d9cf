using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>A real SMTP server for tests: npm maildev from node_modules, on free loopback ports, read through its REST API.</summary>
public sealed class Maildev : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _api;

    public int SmtpPort { get; }
    public Uri WebAddress { get; }

    private Maildev(Process process, int smtpPort, int webPort)
    {
        _process = process;
        SmtpPort = smtpPort;
        WebAddress = new Uri($"http://127.0.0.1:{webPort}/");
        _api = new HttpClient { BaseAddress = WebAddress };
    }

    /// <summary>Starts maildev; <paramref name="extraArguments"/> change how it behaves (e.g. <c>--max-message-size</c> makes it refuse mail).</summary>
    public static async Task<Maildev> StartAsync(params string[] extraArguments)
    {
        var executable = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "maildev");
        if (!File.Exists(executable)) throw new InvalidOperationException("maildev is not installed: run `npm ci` in the repository root.");
        var (smtp, web) = (FreePort(), FreePort());
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--smtp", smtp.ToString(), "--web", web.ToString(), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent",
                     "--mail-directory", Path.Combine(Path.GetTempPath(), "notifyhub-maildev-" + Guid.NewGuid().ToString("N")[..8]) }.Concat(extraArguments))
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var maildev = new Maildev(process, smtp, web);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await maildev.EmailsAsync();
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, smtp);
                return maildev;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Every email maildev holds, as its API gives them (subject, text, html, envelope...).</summary>
    public async Task<IReadOnlyList<JsonElement>> EmailsAsync() =>
        (await _api.GetFromJsonAsync<JsonElement[]>("api/email"))!;

    /// <summary>The emails sent to <paramref name="address"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> EmailsToAsync(string address) =>
        (await EmailsAsync()).Where(e => e.GetProperty("envelope").GetProperty("to").EnumerateArray()
            .Any(t => string.Equals(t.GetProperty("address").GetString(), address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Where maildev serves an email's HTML part as a page (for a browser).</summary>
    public Uri HtmlAddress(JsonElement email) => new(WebAddress, $"api/email/{email.GetProperty("id").GetString()}/html");

    /// <summary>The email exactly as it arrived over SMTP, parsed by MimeKit.</summary>
    public async Task<MimeKit.MimeMessage> SourceAsync(JsonElement email)
    {
        await using var source = await _api.GetStreamAsync($"api/email/{email.GetProperty("id").GetString()}/source");
        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer);
        buffer.Position = 0;
        return await MimeKit.MimeMessage.LoadAsync(buffer);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
