using System.Globalization;
using CsvHelper;
using Microsoft.Net.Http.Headers;

namespace NotifyHub.Timeliness;

/// <summary>
/// The CSV of the decision and strategy reports — <c>from,to,measure,key,value</c>, one measure a line; durations in
/// seconds, rates from 0 to 1, empty when there is nothing to divide by — and how their endpoints choose it over JSON.
/// </summary>
public static class MeasureCsv
{
    /// <summary><c>format=csv</c>, or no <c>format</c> and <c>Accept: text/csv</c>.</summary>
    public static bool Wanted(HttpRequest request, string? format) =>
        format == "csv" || (format is null && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The CSV as a download, <c>{name}-{from}-{to}.csv</c>.</summary>
    public static IResult Answer(HttpRequest request, string name, DateOnly from, DateOnly to, string csv)
    {
        request.HttpContext.Response.Headers.ContentDisposition =
            new ContentDispositionHeaderValue("attachment") { FileName = $"{name}-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}.csv" }.ToString();
        return TypedResults.Text(csv, "text/csv; charset=utf-8");
    }

    /// <summary>The lines as CSV (CsvHelper), each prefixed with the report's dates.</summary>
    public static string Write(DateOnly from, DateOnly to, IEnumerable<(string Measure, string Key, object? Value)> lines)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var csv = CsvWriter.Create(writer, new CsvWriterOptions(), true);
        csv.WriteRecord(["from", "to", "measure", "key", "value"]);
        foreach (var (measure, key, value) in lines)
        {
            csv.WriteRecord([Day(from), Day(to), measure, key, value switch
            {
                null => "",
                double d => d.ToString("0.####", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            }]);
        }
        csv.Dispose();
        return writer.ToString();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
