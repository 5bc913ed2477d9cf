using System.Collections.Concurrent;
using System.Text;
using CsvHelper;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Organisations.Ods;

public sealed record OdsRowError(int Row, string Field, string Reason);

/// <summary>What an import did. Errors name the row (the file's first line is row 1) and the column, never more of the row than its ODS code.</summary>
public sealed record OdsImportReport(
    int Rows, int Created, int Updated, int Unchanged,
    IReadOnlyDictionary<string, int> Skipped, int ErrorCount, IReadOnlyList<OdsRowError> Errors, double DurationSeconds);

/// <summary>The outcome of an import: a report, or why the body is not the ODS GP practice file at all (nothing written).</summary>
public sealed record OdsImportResult(OdsImportReport? Report, string? NotTheFile);

/// <summary>
/// Imports the NHS ODS GP practice file (<c>epraccur.csv</c>, as NHS Digital publishes it: no header row, quoted CSV,
/// 27 columns) into the directory as GP practices <c>gp-{code}</c> (<see cref="OdsRules"/>). The file is small (a few
/// MB), so it is read whole; the directory's existing practices are read with one range query; then each practice that
/// is new or changed is written with bounded concurrency, like the GIAS import. Nothing is deactivated or deleted.
/// </summary>
public sealed class OdsImporter(DirectoryStore store, IOptions<DirectoryOptions> options, TimeProvider time)
{
    private const int MaxReportedErrors = 1000;
    private const int MaxAttempts = 3;

    public async Task<OdsImportResult> ImportAsync(byte[] file, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var parsed = Parse(file);
        if (parsed.NotTheFile is not null) return new OdsImportResult(null, parsed.NotTheFile);

        var existing = new Dictionary<string, StoredOrganisation>(StringComparer.Ordinal);
        await foreach (var stored in store.ScanAsync(DirectoryIndexKeys.IdForOdsCode(""), cancellationToken)) existing[stored.Organisation.Id] = stored;

        var tally = new Tally();
        var work = new List<OdsDecision.Import>();
        var firstRowOfCode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var decision in parsed.Decisions)
        {
            switch (decision)
            {
                case OdsDecision.Error e: tally.Error(e.Row, e.Field, e.Reason); break;
                case OdsDecision.Skip s: tally.Skip(s.Reason); break;
                case OdsDecision.Import { Practice.Code: var code } import when firstRowOfCode.TryGetValue(code, out var first):
                    tally.Error(import.Row, OdsColumns.Code.Field, $"appears more than once; row {first} was used");
                    break;
                case OdsDecision.Import import: firstRowOfCode[import.Practice.Code] = import.Row; work.Add(import); break;
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.ImportConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, parallel, async (import, ct) =>
            await UpsertAsync(import, existing.GetValueOrDefault(import.Practice.Id), tally, ct));

        return new OdsImportResult(tally.Report(parsed.Decisions.Count, time.GetElapsedTime(started)), null);
    }

    private async Task UpsertAsync(OdsDecision.Import import, StoredOrganisation? existing, Tally tally, CancellationToken cancellationToken)
    {
        var practice = import.Practice;
        for (var attempt = 1; ; attempt++)
        {
            if (existing is { Organisation.Type: not OrganisationTypes.GpPractice })
            {
                // An administrator gave the id to something else: the import does not take it over.
                tally.Error(import.Row, OdsColumns.Code.Field, $"{practice.Id} is an organisation of another type; not changed");
                return;
            }
            var after = OdsRules.Apply(practice, existing?.Organisation);
            if (existing is not null && !OdsRules.OdsFieldsDiffer(existing.Organisation, after))
            {
                tally.Unchanged();
                return;
            }
            var entity = OrganisationEntity.ToEntity(after, existing?.Entity, time.GetUtcNow());
            if (existing is null) entity[OrganisationEntity.Source] = OrganisationEntity.SourceOds;

            var result = await store.SaveAsync(existing?.Organisation, after, entity, cancellationToken);
            if (result.Status == SaveStatus.Saved)
            {
                if (existing is null) tally.Created(); else tally.Updated();
                return;
            }
            // Written by someone else since the scan (an administrator, a parallel import): read again and redo.
            if (attempt == MaxAttempts)
            {
                tally.Error(import.Row, OdsColumns.Code.Field, $"practice {practice.Code} kept changing during the import; not updated");
                return;
            }
            existing = await store.FindAsync(practice.Id, cancellationToken);
        }
    }

    private sealed record ParsedFile(IReadOnlyList<OdsDecision> Decisions, string? NotTheFile);

    private static ParsedFile NotTheFile(string why) => new([], why);

    /// <summary>The rows of the file as decisions, or why it is not the file (binary, empty, or no row of its shape).</summary>
    private static ParsedFile Parse(byte[] file)
    {
        if (file.AsSpan().StartsWith("PK\u0003\u0004"u8)) return NotTheFile("is a zip archive: unzip epraccur.zip and send the epraccur.csv inside it");
        var text = Decode(file);
        if (text.Contains('\0')) return NotTheFile("is not CSV text: it holds binary data");

        // Rows with broken quoting, by the line they start on; the reader recovers and returns them.
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var csv = new CsvReaderOptions
        {
            HasHeader = false,
            Separator = ',',
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = record => malformed.TryAdd(record.LineNumber, record.Reason),
            // One broken quote must not swallow the rest of the file; ODS fields never contain line breaks.
            AllowLineBreaksInQuotes = false,
            IncludeValuesInExceptions = false,
        };
        using var reader = CsvReader.FromText(text.TrimStart('\uFEFF'), csv);
        var decisions = new List<OdsDecision>();
        var wellShaped = 0;
        while (true)
        {
            try
            {
                if (!reader.Read()) break;
            }
            catch (CsvFormatException e)
            {
                decisions.Add(new OdsDecision.Error((int)e.LineNumber, "$row", "could not be read as CSV; the import stopped at this row"));
                break;
            }
            var row = (int)reader.LineNumber;
            if (malformed.TryGetValue(row, out var reason))
            {
                decisions.Add(new OdsDecision.Error(row, "$row", $"is not well-formed CSV ({reason})"));
                continue;
            }
            if (reader.FieldCount != OdsColumns.Count)
            {
                decisions.Add(new OdsDecision.Error(row, "$row", $"has {reader.FieldCount} fields; the ODS GP practice file has {OdsColumns.Count}"));
                continue;
            }
            wellShaped++;
            var fields = new string?[OdsColumns.Count];
            for (var i = 0; i < fields.Length; i++) fields[i] = reader.GetString(i);
            decisions.Add(OdsRules.Decide(new OdsRow(row, fields)));
        }
        if (decisions.Count == 0) return NotTheFile("is empty: it has no rows");
        if (wellShaped == 0) return NotTheFile($"is not the ODS GP practice file (epraccur.csv): no row has its {OdsColumns.Count} columns");
        return new ParsedFile(decisions, null);
    }

    /// <summary>
    /// The file as text. ODS files are plain ASCII in practice, which UTF-8 reads as it is; a byte-order mark (UTF-8 or
    /// UTF-16, from a copy someone re-saved) is honoured. Only bytes that are not UTF-8 at all — a copy a Windows program
    /// saved in its own code page — are read as Windows-1252. (The GIAS import goes the other way round because GIAS
    /// publishes Windows-1252, and streams its 60 MB file rather than holding it.)
    /// </summary>
    private static string Decode(byte[] file)
    {
        try
        {
            using var reader = new StreamReader(new MemoryStream(file), new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (DecoderFallbackException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetString(file);
        }
    }

    /// <summary>Counts shared by the concurrent writers.</summary>
    private sealed class Tally
    {
        private int _created, _updated, _unchanged, _errors;
        private readonly ConcurrentDictionary<string, int> _skipped = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<OdsRowError> _errorList = new();

        public void Created() => Interlocked.Increment(ref _created);
        public void Updated() => Interlocked.Increment(ref _updated);
        public void Unchanged() => Interlocked.Increment(ref _unchanged);
        public void Skip(string reason) => _skipped.AddOrUpdate(reason, 1, (_, n) => n + 1);

        public void Error(int row, string field, string reason)
        {
            if (Interlocked.Increment(ref _errors) <= MaxReportedErrors) _errorList.Enqueue(new OdsRowError(row, field, reason));
        }

        public OdsImportReport Report(int rows, TimeSpan duration) => new(
            rows, _created, _updated, _unchanged,
            new SortedDictionary<string, int>(_skipped, StringComparer.Ordinal), _errors,
            _errorList.OrderBy(e => e.Row).ToList(), Math.Round(duration.TotalSeconds, 2));
    }
}
