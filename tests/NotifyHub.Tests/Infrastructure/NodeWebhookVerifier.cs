using System.Diagnostics;
using System.Text.Json;

namespace NotifyHub.Tests.Infrastructure;

/// <summary>Checks a received webhook's signature with the npm <c>standardwebhooks</c> package, run by node: not the hub's code.</summary>
public static class NodeWebhookVerifier
{
    public static async Task<(bool Valid, string Output)> VerifyAsync(string secret, ReceivedWebhook webhook)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "verify-webhook.mjs");
        var info = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["NOTIFYHUB_ROOT"] = RepoPaths.Root;
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new
        {
            secret, id = webhook.Id, timestamp = webhook.Timestamp, signature = webhook.Signature, body = webhook.Body,
        }));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode == 0, output.Trim());
    }
}
