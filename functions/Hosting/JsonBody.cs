using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace NotifyHub.Hosting;

/// <summary>Reads a JSON request body within a size limit, or says exactly what is wrong with it.</summary>
public static class JsonBody
{
    /// <summary>
    /// Reads the body and validates it with <paramref name="validate"/>: the value, or the problem
    /// answer (415, 413, or 400 naming every bad field) that the endpoint returns as it is.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadValidatedAsync<T>(
        HttpRequest request, long maxBytes, Func<JsonElement, Domain.Validation.Validated<T>> validate, CancellationToken cancellationToken)
        where T : class
    {
        var (document, problem) = await ReadAsync(request, maxBytes, cancellationToken);
        if (problem is not null) return (null, problem);
        using (document)
        {
            var text = new Domain.Validation.FieldErrors();
            Domain.Validation.JsonText.Check(document!.RootElement, text);
            if (text.Any) return (null, Problems.Invalid(text));
            var validated = validate(document.RootElement);
            return validated.IsValid ? (validated.Value, null) : (null, Problems.Invalid(validated.Errors));
        }
    }

    /// <summary>The parser's reason, without its advice about .NET types.</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static bool IsJson(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The raw body of a request of media type <paramref name="mediaType"/> (<c>application/json</c> also takes <c>+json</c>
    /// types), within <paramref name="maxBytes"/>: the bytes, or the problem answer (415, 413, 400 for an empty body).
    /// </summary>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadBytesAsync(HttpRequest request, long maxBytes, string mediaType, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !(type.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase) || (mediaType == "application/json" && IsJson(type))))
        {
            return (null, mediaType == "application/json" ? Problems.UnsupportedMediaType() : Problems.UnsupportedMediaType(mediaType));
        }
        if (request.ContentLength > maxBytes) return (null, Problems.TooLarge(maxBytes));

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (null, Problems.TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, Problems.Invalid("$", mediaType == "application/json" ? "the body is empty: send a JSON object" : $"the body is empty: send {mediaType}"));
        return (buffer.ToArray(), null);
    }

    private static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBytesAsync(request, maxBytes, "application/json", cancellationToken);
        if (problem is not null) return (null, problem);
        try
        {
            return (JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 }), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Invalid("$", $"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {Reason(e)}"));
        }
    }
}
