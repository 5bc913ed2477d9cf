using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using NotifyHub.DevHost.Invocations;

namespace NotifyHub.DevHost.Http;

/// <summary>
/// <c>POST /admin/functions/{name}</c> runs a non-HTTP function now and answers 202, as the host
/// does; with <c>?wait=true</c> it answers 200 with the outcome once the invocation has finished.
/// </summary>
internal sealed class AdminApi(
    IReadOnlyDictionary<string, Func<string?, CancellationToken, Task<InvocationResult>>> runners,
    string? masterKey,
    InFlight inFlight,
    CancellationToken abort)
{
    private static readonly TemplateMatcher Route = new(TemplateParser.Parse("admin/functions/{name}"), new RouteValueDictionary());

    public async Task HandleAsync(HttpContext context)
    {
        var values = new RouteValueDictionary();
        if (!Route.TryMatch(context.Request.Path, values) || values["name"] is not string name)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Not Found", "The DevHost's admin API has only POST /admin/functions/{name}.");
            return;
        }
        if (masterKey is not null && !KeyMatches(context.Request.Headers["x-functions-key"].ToString()))
        {
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "The admin API needs the master key in x-functions-key.");
            return;
        }
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await Problems.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed", "Use POST.");
            return;
        }
        var runner = runners.FirstOrDefault(r => r.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (runner.Value is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Not Found",
                $"There is no queue or timer function named '{name}' (HTTP functions are called on their routes). " +
                $"This app's are: {string.Join(", ", runners.Keys.Order(StringComparer.Ordinal))}.");
            return;
        }

        string? input;
        try
        {
            input = await ReadInputAsync(context);
        }
        catch (JsonException)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad Request", "The body must be JSON like {\"input\":\"<message text>\"}.");
            return;
        }

        var invocation = inFlight.Track(runner.Key, runner.Value(input, abort));
        if (!string.Equals(context.Request.Query["wait"], "true", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        var result = await invocation;
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["function"] = runner.Key,
            ["succeeded"] = result.Succeeded,
            ["durationMs"] = (long)result.Duration.TotalMilliseconds,
            ["invocationId"] = result.InvocationId,
            ["error"] = result.Error,
        }, context.RequestAborted);
    }

    private bool KeyMatches(string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(masterKey!));

    private static async Task<string?> ReadInputAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        if (string.IsNullOrWhiteSpace(body)) return null;
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("The body is not a JSON object.");
        if (!json.RootElement.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null) return null;
        return input.ValueKind == JsonValueKind.String ? input.GetString() : throw new JsonException("input is not a string.");
    }
}
