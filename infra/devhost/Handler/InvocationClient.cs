using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace NotifyHub.DevHost.Handler;

/// <summary>How one invocation ended. Only a 2xx answer with a JSON body is a success.</summary>
internal sealed record InvocationResult(string Function, Guid InvocationId, bool Succeeded, int? StatusCode, TimeSpan Duration, string? Error);

/// <summary>Posts invocation envelopes to the handler and reads its answer, as DefaultHttpWorkerService does.</summary>
internal sealed class InvocationClient(HttpClient http, Uri handler, TimeProvider time, ILogger logger)
{
    public InvocationSys NewSys(string function) => new(function, time.GetUtcNow(), Guid.NewGuid());

    /// <summary>
    /// Invokes <paramref name="function"/>. Failures (non-2xx, unreadable answer, connection error,
    /// timeout) are returned, not thrown; only cancellation of <paramref name="cancellationToken"/> throws.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(string function, string reason, JsonObject envelope, CancellationToken cancellationToken)
    {
        var invocationId = Guid.NewGuid();
        Log.Executing(logger, function, reason, invocationId);
        var started = time.GetTimestamp();
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(handler, "/" + function))
            {
                Content = new StringContent(InvocationEnvelope.Serialize(envelope), Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("X-Azure-Functions-InvocationId", invocationId.ToString());
            request.Headers.TryAddWithoutValidation("X-Azure-Functions-HostVersion", "devhost");
            request.Headers.TryAddWithoutValidation("User-Agent", "Azure-Functions-Host/devhost");

            using var response = await http.SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                error = $"the handler answered {status}";
            }
            else if (!TryRelayLogs(function, body))
            {
                error = "the handler's answer is not a JSON object ({\"Outputs\":…,\"Logs\":…,\"ReturnValue\":…})";
            }
        }
        catch (HttpRequestException e)
        {
            error = "could not reach the handler: " + e.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"timed out after {http.Timeout} (host.json functionTimeout + 1 min)";
        }

        var duration = time.GetElapsedTime(started);
        var durationMs = (long)duration.TotalMilliseconds;
        if (error is null) Log.Succeeded(logger, function, invocationId, durationMs);
        else Log.Failed(logger, function, invocationId, durationMs, status, error);
        return new InvocationResult(function, invocationId, error is null, status, duration, error);
    }

    private bool TryRelayLogs(string function, string body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject answer) return false;
            if (answer.TryGetPropertyValue("Logs", out var logs) && logs is JsonArray entries)
            {
                foreach (var entry in entries)
                {
                    var text = entry is JsonValue v && v.TryGetValue<string>(out var s) ? s : entry?.ToJsonString();
                    if (text is not null) Log.HandlerLog(logger, function, text);
                }
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static HttpClient CreateHttpClient(TimeSpan timeout) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = timeout };
}
