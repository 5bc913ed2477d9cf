using System.Text;

namespace NotifyHub.Bench;

/// <summary>
/// Writes a synthetic GIAS all-establishments extract in the real format: the real header (all ~139 columns),
/// every field quoted except URN and ages, CRLF, Windows-1252. Names are "Synthetic School 00001" and the like
/// (a few with Windows-1252 characters: a curly apostrophe, an accented e); the mix of statuses and type
/// groups is roughly the real file's: ~15% closed, ~1% proposed to open, ~4% types the hub does not notify.
/// Deterministic for a given row count and first URN.
/// </summary>
public static class SyntheticGias
{
    public const string ClosedDate = "31-08-2019";

    private static readonly string[] LaCodes = ["840", "201", "202", "203", "330", "341", "352", "373", "805", "806", "807", "841", "926", "936"];

    private static readonly (string Group, string Type, int Weight)[] OpenKinds =
    [
        ("Local authority maintained schools", "Community school", 30),
        ("Local authority maintained schools", "Voluntary aided school", 8),
        ("Local authority maintained schools", "Voluntary controlled school", 5),
        ("Local authority maintained schools", "Pupil referral unit", 1),
        ("Academies", "Academy converter", 20),
        ("Academies", "Academy sponsor led", 8),
        ("Free Schools", "Free schools", 2),
        ("Independent schools", "Other independent school", 9),
        ("Special schools", "Community special school", 3),
        ("Colleges", "Further education", 2),
        ("Colleges", "Sixth form centres", 1),
        ("Universities", "Higher education institutions", 1),
        ("Other types", "Secure units", 1),
        ("Welsh schools", "Welsh establishment", 1),
        ("Online provider", "Online provider", 1),
    ];

    private static readonly (string Phase, int Low, int High)[] Phases =
    [
        ("Primary", 4, 11), ("Secondary", 11, 16), ("Secondary", 11, 18), ("Nursery", 2, 5), ("All-through", 4, 18), ("16 plus", 16, 19), ("Not applicable", 5, 19),
    ];

    public static Encoding Windows1252
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1252);
        }
    }

    /// <summary>The header line of a GIAS file (e.g. the sample's), split into column names.</summary>
    public static string[] ReadHeader(string sampleFile)
    {
        using var reader = new StreamReader(sampleFile, Windows1252);
        return reader.ReadLine()!.Split(',').Select(c => c.Trim('"')).ToArray();
    }

    /// <summary>Row <paramref name="i"/> (0-based) of the synthetic file, as column name → value.</summary>
    public static Dictionary<string, string> Row(int i, int firstUrn = 300000)
    {
        var bucket = (int)((uint)(i * 2654435761u) % 1000); // a fixed scatter of 0..999
        var (status, closeDate) = bucket switch
        {
            < 150 => ("Closed", ClosedDate),
            < 160 => ("Proposed to open", ""),
            < 170 => ("Open, but proposed to close", "31-08-2099"),
            _ => ("Open", ""),
        };
        var kind = Pick(OpenKinds, k => k.Weight, (int)((uint)(i * 40503u + 7) % 100));
        var phase = Phases[i % Phases.Length];
        var number = (i + 1).ToString("00000", System.Globalization.CultureInfo.InvariantCulture);
        var name = (i % 97) switch
        {
            3 => $"St Mary\u2019s Synthetic School {number}",
            5 => $"Café Synthetic Academy {number}",
            _ => $"Synthetic School {number}",
        };
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["URN"] = (firstUrn + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LA (code)"] = LaCodes[i % LaCodes.Length],
            ["LA (name)"] = "Synthetic LA",
            ["EstablishmentNumber"] = (1000 + i % 9000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EstablishmentName"] = name,
            ["TypeOfEstablishment (name)"] = kind.Type,
            ["EstablishmentTypeGroup (name)"] = kind.Group,
            ["EstablishmentStatus (name)"] = status,
            ["CloseDate"] = closeDate,
            ["PhaseOfEducation (name)"] = phase.Phase,
            ["StatutoryLowAge"] = phase.Low.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["StatutoryHighAge"] = phase.High.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Postcode"] = $"ZZ{i % 99 + 1} {i % 9 + 1}ZZ",
            ["Town"] = "Synthetic Town",
            ["HeadPreferredJobTitle"] = "Headteacher",
        };
    }

    /// <summary>Writes the header and <paramref name="rows"/> (column name → value; columns left out are empty).</summary>
    public static void Write(Stream output, string[] header, IEnumerable<IReadOnlyDictionary<string, string>> rows)
    {
        using var writer = new StreamWriter(output, Windows1252, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        writer.WriteLine(string.Join(',', header.Select(h => $"\"{h}\"")));
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (var c = 0; c < header.Length; c++)
            {
                if (c > 0) line.Append(',');
                var value = row.TryGetValue(header[c], out var v) ? v : "";
                // As GIAS does: URN and ages bare, everything else quoted.
                if (header[c] is "URN" or "StatutoryLowAge" or "StatutoryHighAge" && value.Length > 0) line.Append(value);
                else line.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
            }
            writer.WriteLine(line);
        }
    }

    /// <summary>Writes a synthetic file of <paramref name="count"/> rows.</summary>
    public static void Write(Stream output, string[] header, int count, int firstUrn = 300000) =>
        Write(output, header, Enumerable.Range(0, count).Select(i => (IReadOnlyDictionary<string, string>)Row(i, firstUrn)));

    private static T Pick<T>(IReadOnlyList<T> items, Func<T, int> weight, int percent)
    {
        var total = items.Sum(weight);
        var target = percent * total / 100;
        foreach (var item in items)
        {
            target -= weight(item);
            if (target < 0) return item;
        }
        return items[^1];
    }
}
