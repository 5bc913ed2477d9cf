using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.Extensions.Options;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Organisations.Gias;

public sealed record GiasRowError(int Row, string Field, string Reason);

/// <summary>What an import did. Errors name the row (the header is row 1) and the column, never the row's content.</summary>
public sealed record GiasImportReport(
    int Rows, int Added, int Updated, int Unchanged, int Deactivated,
    IReadOnlyDictionary<string, int> Skipped, int ErrorCount, IReadOnlyList<GiasRowError> Errors, double DurationSeconds);

/// <summary>The outcome of an import: a report, or the required columns the file's header lacks.</summary>
public sealed record GiasImportResult(GiasImportReport? Report, IReadOnlyList<string> MissingColumns);

/// <summary>
/// Imports the DfE GIAS all-establishments extract (quoted CSV, Windows-1252) into the directory as
/// schools <c>school-{urn}</c>. The body is read as a stream, keeping only the needed columns; the
/// directory's existing schools are read (one range query) while the file is parsed; then each school
/// that is new or changed is written with bounded concurrency. Nothing is ever deleted.
/// <para>Why no entity-group transactions: both tables' partition keys are per organisation
/// (Organisations: PK = id; DirectoryIndex: PK = school|urn|{urn}), and a transaction needs one partition,
/// so every write here is a single-entity request; concurrency is what makes it fast. Unchanged schools
/// cost no write at all, so a re-import is one scan.</para>
/// </summary>
public sealed class GiasImporter(DirectoryStore store, IOptions<DirectoryOptions> options, TimeProvider time)
{
    private const int MaxReportedErrors = 1000;
    private const int MaxAttempts = 3;

    static GiasImporter() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public async Task<GiasImportResult> ImportAsync(Stream csv, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var today = Domain.UkTime.DateOf(time.GetUtcNow());

        var existingTask = LoadExistingSchoolsAsync(cancellationToken);
        ParsedFile parsed;
        try
        {
            parsed = await ParseAsync(csv, today, cancellationToken);
        }
        finally
        {
            // Never leave the scan running (or its failure unobserved) when parsing fails.
            await Task.WhenAny(existingTask);
        }
        if (parsed.MissingColumns.Count > 0) return new GiasImportResult(null, parsed.MissingColumns);
        var existing = await existingTask;

        var tally = new Tally();
        var work = new List<GiasDecision>();
        var firstRowOfUrn = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var decision in parsed.Decisions)
        {
            switch (decision)
            {
                case GiasDecision.Error e: tally.Error(e.Row, e.Field, e.Reason); break;
                case GiasDecision.Skip s: tally.Skip(s.Reason); break;
                case GiasDecision.Open { School.Urn: var urn } when firstRowOfUrn.TryGetValue(urn, out var first):
                case GiasDecision.Closed { Urn: var closedUrn } when firstRowOfUrn.TryGetValue(closedUrn, out first):
                    tally.Error(decision.Row, GiasColumns.Urn, $"appears more than once; row {first} was used");
                    break;
                case GiasDecision.Open open: firstRowOfUrn[open.School.Urn] = open.Row; work.Add(open); break;
                case GiasDecision.Closed closed: firstRowOfUrn[closed.Urn] = closed.Row; work.Add(closed); break;
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.ImportConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, parallel, async (decision, ct) =>
        {
            switch (decision)
            {
                case GiasDecision.Open open: await UpsertAsync(open.School, existing.GetValueOrDefault(open.School.Id), tally, ct); break;
                case GiasDecision.Closed closed: await CloseAsync(GiasRules.SchoolId(closed.Urn), existing.GetValueOrDefault(GiasRules.SchoolId(closed.Urn)), tally, ct); break;
            }
        });

        return new GiasImportResult(tally.Report(parsed.Decisions.Count, time.GetElapsedTime(started)), []);
    }

    private async Task UpsertAsync(GiasSchool school, StoredOrganisation? existing, Tally tally, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var deactivatedByAdmin = existing is { Organisation.Active: false } &&
                existing.Entity.GetString(OrganisationEntity.DeactivatedBy) == OrganisationEntity.SourceAdmin;
            var after = GiasRules.Apply(school, existing?.Organisation, deactivatedByAdmin);
            if (existing is not null && !GiasRules.GiasFieldsDiffer(existing.Organisation, after) &&
                existing.Entity.GetString(OrganisationEntity.GiasType) == school.Type &&
                existing.Entity.GetString(OrganisationEntity.GiasTypeGroup) == school.TypeGroup)
            {
                tally.Unchanged();
                return;
            }
            var entity = OrganisationEntity.ToEntity(after, existing?.Entity, time.GetUtcNow());
            if (existing is null) entity[OrganisationEntity.Source] = OrganisationEntity.SourceGias;
            entity[OrganisationEntity.GiasType] = school.Type;
            entity[OrganisationEntity.GiasTypeGroup] = school.TypeGroup;
            if (after.Active) entity.Remove(OrganisationEntity.DeactivatedBy);

            var result = await store.SaveAsync(existing?.Organisation, after, entity, cancellationToken);
            if (result.Status == SaveStatus.Saved)
            {
                if (existing is null) tally.Added(); else tally.Updated();
                return;
            }
            // Written by someone else since the scan (an administrator, a parallel import): read again and redo.
            if (attempt == MaxAttempts)
            {
                tally.Error(0, GiasColumns.Urn, $"school {school.Urn} kept changing during the import; not updated");
                return;
            }
            existing = await store.FindAsync(school.Id, cancellationToken);
        }
    }

    private async Task CloseAsync(string id, StoredOrganisation? existing, Tally tally, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (existing is not { Organisation.Active: true })
            {
                tally.Skip(GiasRules.SkipClosed);
                return;
            }
            if (await store.HasDeliveriesAsync(id, cancellationToken))
            {
                tally.Skip(GiasRules.SkipClosedWithDeliveries);
                return;
            }
            var after = existing.Organisation with { Active = false };
            var entity = OrganisationEntity.ToEntity(after, existing.Entity, time.GetUtcNow());
            entity[OrganisationEntity.DeactivatedBy] = OrganisationEntity.SourceGias;
            var result = await store.SaveAsync(existing.Organisation, after, entity, cancellationToken);
            if (result.Status == SaveStatus.Saved)
            {
                tally.Deactivated();
                return;
            }
            if (attempt == MaxAttempts)
            {
                tally.Error(0, GiasColumns.Urn, $"{id} kept changing during the import; not deactivated");
                return;
            }
            existing = await store.FindAsync(id, cancellationToken);
        }
    }

    private async Task<Dictionary<string, StoredOrganisation>> LoadExistingSchoolsAsync(CancellationToken cancellationToken)
    {
        var schools = new Dictionary<string, StoredOrganisation>(StringComparer.Ordinal);
        await foreach (var stored in store.ScanAsync(GiasRules.SchoolId(""), cancellationToken)) schools[stored.Organisation.Id] = stored;
        return schools;
    }

    private sealed record ParsedFile(IReadOnlyList<GiasDecision> Decisions, IReadOnlyList<string> MissingColumns);

    private static async Task<ParsedFile> ParseAsync(Stream csv, DateOnly today, CancellationToken cancellationToken)
    {
        // Record numbers of rows with broken quoting. The reader recovers and returns them, and counts the
        // header as record 1, so data row n (reader.RowNumber) is record n + 1: the row number we report.
        var malformed = new ConcurrentDictionary<long, CsvMalformedReason>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = record => malformed.TryAdd(record.RecordNumber, record.Reason),
            // One broken quote must not swallow the rest of a 60 MB file; GIAS fields never contain line breaks.
            AllowLineBreaksInQuotes = false,
            IncludeValuesInExceptions = false,
        };
        // GIAS publishes Windows-1252; a file someone re-saved as UTF-8 (or UTF-16) carries a byte-order
        // mark, and is read as that instead. Transcoded while streaming.
        using var text = new StreamReader(csv, Encoding.GetEncoding(1252), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        await using var reader = CsvReader.Create(text, options, leaveOpen: true);
        await reader.ReadHeaderAsync(cancellationToken);
        var header = reader.Headers;
        if (header.Count == 0) return new ParsedFile([], GiasColumns.All);
        var columns = new (string Name, int Index)[GiasColumns.All.Length];
        var missing = new List<string>();
        for (var i = 0; i < columns.Length; i++)
        {
            var name = GiasColumns.All[i];
            if (!reader.TryGetFieldIndex(name, out var index)) missing.Add(name);
            columns[i] = (name, index);
        }
        if (missing.Count > 0) return new ParsedFile([], missing);

        var decisions = new List<GiasDecision>();
        while (true)
        {
            try
            {
                if (!await reader.ReadAsync(cancellationToken)) break;
            }
            catch (CsvFormatException e)
            {
                decisions.Add(new GiasDecision.Error((int)e.RecordNumber, "$row", "could not be read as CSV; the import stopped at this row"));
                break;
            }
            var row = (int)reader.RowNumber + 1;
            if (malformed.TryGetValue(row, out var reason))
            {
                decisions.Add(new GiasDecision.Error(row, "$row", $"is not well-formed CSV ({reason})"));
                continue;
            }
            if (reader.FieldCount != header.Count)
            {
                decisions.Add(new GiasDecision.Error(row, "$row", $"has {reader.FieldCount} fields; the header has {header.Count}"));
                continue;
            }
            var fields = new Dictionary<string, string?>(columns.Length, StringComparer.Ordinal);
            foreach (var (name, index) in columns) fields[name] = reader.GetString(index);
            decisions.Add(GiasRules.Decide(new GiasRow(row, fields), today));
        }
        return new ParsedFile(decisions, []);
    }

    /// <summary>Counts shared by the concurrent writers.</summary>
    private sealed class Tally
    {
        private int _added, _updated, _unchanged, _deactivated, _errors;
        private readonly ConcurrentDictionary<string, int> _skipped = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<GiasRowError> _errorList = new();

        public void Added() => Interlocked.Increment(ref _added);
        public void Updated() => Interlocked.Increment(ref _updated);
        public void Unchanged() => Interlocked.Increment(ref _unchanged);
        public void Deactivated() => Interlocked.Increment(ref _deactivated);
        public void Skip(string reason) => _skipped.AddOrUpdate(reason, 1, (_, n) => n + 1);

        public void Error(int row, string field, string reason)
        {
            if (Interlocked.Increment(ref _errors) <= MaxReportedErrors) _errorList.Enqueue(new GiasRowError(row, field, reason));
        }

        public GiasImportReport Report(int rows, TimeSpan duration) => new(
            rows, _added, _updated, _unchanged, _deactivated,
            new SortedDictionary<string, int>(_skipped, StringComparer.Ordinal), _errors,
            _errorList.OrderBy(e => e.Row).ToList(), Math.Round(duration.TotalSeconds, 2));
    }
}
