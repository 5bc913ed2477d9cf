using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace NotifyHub.Hosting;

/// <summary>Reads a JSON request body within a size limit, or says exactly what is wrong with it.</summary>
public static class JsonBody
{
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
              type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problems.UnsupportedMediaType());
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
        if (buffer.Length == 0) return (null, Problems.Invalid("$", "the body is empty: send a JSON object"));
        try
        {
            return (JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 }), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Invalid("$", $"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"));
        }
    }
}
