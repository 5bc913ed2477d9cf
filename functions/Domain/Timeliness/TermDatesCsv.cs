using System.Globalization;
using CsvHelper;
using NotifyHub.Domain.Validation;

namespace NotifyHub.Domain.Timeliness;

/// <summary>
/// Reads one local authority's term dates: CSV with the header <c>la_code,term,first_day,last_day</c>, one term a
/// row, every row for the LA being imported (a file for another LA must not quietly become this one's calendar).
/// Errors name the line (the header is line 1) and the column, e.g. <c>line 3: first_day</c>.
/// </summary>
public static class TermDatesCsv
{
    public const string LaCode = "la_code";
    public const string TermName = "term";
    public const string FirstDay = "first_day";
    public const string LastDay = "last_day";

    private static readonly string[] Columns = [LaCode, TermName, FirstDay, LastDay];

    public static IReadOnlyList<Term>? Parse(string csvText, string laCode, out FieldErrors errors)
    {
        errors = new FieldErrors();
        // Lines with broken quoting, reported against their line; the reader recovers and goes on.
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = record => malformed.TryAdd(record.LineNumber, record.Reason),
            AllowLineBreaksInQuotes = false,
            IncludeValuesInExceptions = false,
        };
        using var reader = CsvReader.FromText((csvText ?? "").TrimStart('\uFEFF'), options);
        var read = new List<(Term, long)>();
        try
        {
            reader.ReadHeader();
            var header = reader.Headers;
            if (header.Count == 0)
            {
                errors.Add("header", "is missing; expected " + string.Join(",", Columns));
                return null;
            }
            var missing = Columns.Where(c => !header.Contains(c, StringComparer.Ordinal)).ToList();
            var unknown = header.Where(h => !Columns.Contains(h, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0 || unknown.Count > 0)
            {
                var problems = new List<string>();
                if (missing.Count > 0) problems.Add("lacks " + string.Join(", ", missing));
                if (unknown.Count > 0) problems.Add("has unknown columns " + string.Join(", ", unknown.Select(u => $"\"{u}\"")));
                errors.Add("header", $"must be {string.Join(",", Columns)}; it {string.Join(" and ", problems)}");
                return null;
            }
            var index = Columns.ToDictionary(c => c, reader.GetFieldIndex, StringComparer.Ordinal);

            var rows = 0;
            while (reader.Read())
            {
                if (++rows > TermChecks.MaxTerms)
                {
                    errors.Add("file", $"must have at most {TermChecks.MaxTerms} terms");
                    return null;
                }
                var line = reader.LineNumber;
                string Path(string column) => $"line {line}: {column}";
                if (malformed.TryGetValue(line, out var reason))
                {
                    errors.Add($"line {line}", $"is not well-formed CSV ({reason})");
                    continue;
                }
                if (reader.FieldCount != Columns.Length)
                {
                    errors.Add($"line {line}", $"has {reader.FieldCount} fields; expected {Columns.Length}");
                    continue;
                }
                var la = reader.GetString(index[LaCode]);
                if (!string.Equals(la, laCode, StringComparison.Ordinal))
                {
                    errors.Add(Path(LaCode), la.Length == 0 ? "is required" : $"must be {laCode}, the local authority being imported");
                }
                var name = TermChecks.Name(reader.GetString(index[TermName]), Path(TermName), errors);
                var first = TermChecks.Date(reader.GetString(index[FirstDay]), Path(FirstDay), errors);
                var last = TermChecks.Date(reader.GetString(index[LastDay]), Path(LastDay), errors);
                if (first is { } f && last is { } l && l < f) errors.Add(Path(LastDay), "must not be before first_day");
                else if (name is not null && first is not null && last is not null) read.Add((new Term(name, first.Value, last.Value), line));
            }
            if (rows == 0)
            {
                errors.Add("file", "has no terms");
                return null;
            }
        }
        catch (CsvFormatException e)
        {
            errors.Add(e.LineNumber > 0 ? $"line {e.LineNumber}" : "file", "could not be read as CSV");
            return null;
        }
        var terms = TermChecks.SortedWithoutOverlaps<long>(read, line => $"line {line}: {FirstDay}", line => $"the term on line {line}", errors);
        return errors.Any ? null : terms;
    }
}
