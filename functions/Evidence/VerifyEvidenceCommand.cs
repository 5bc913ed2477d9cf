using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Evidence;

namespace NotifyHub.Evidence;

/// <summary>
/// <c>NotifyHub.Functions verify-evidence FILE [--public-key PEM]...</c>: checks an evidence export offline, with no hub and no
/// storage (docs/evidence.md, "Verifying"). Exit codes: 0 verified; 1 verification failed (the first failing event or anchor
/// is named); 2 the file, a key or the arguments could not be read; 3 everything verifies but the newest events are not yet
/// anchored. FILE <c>-</c> reads the export from standard input.
/// </summary>
public static class VerifyEvidenceCommand
{
    public const string Name = "verify-evidence";

    public const string Usage = "Usage: NotifyHub.Functions verify-evidence FILE [--public-key PEM]...\n" +
        "  FILE            an evidence export (GET /api/incidents/{force}/{reference}/evidence), or - for standard input\n" +
        "  --public-key    a PEM file of the hub's evidence public keys (GET /.well-known/notifyhub-evidence-key.pem: the signing key,\n" +
        "                  then any it replaced); repeat the option to trust more files.\n" +
        "                  Without it, the keys in the export are used: that proves the export is whole, not who signed it.\n" +
        "Exit codes: 0 verified; 1 verification failed; 2 unreadable file, key or arguments; 3 verified, but the newest events are not yet anchored.";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input)
    {
        string? file = null;
        var keyFiles = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--public-key" when i + 1 < args.Length:
                    keyFiles.Add(args[++i]);
                    break;
                case "-h" or "--help":
                    await output.WriteLineAsync(Usage);
                    return 0;
                case var a when a.StartsWith("--", StringComparison.Ordinal) || file is not null:
                    await error.WriteLineAsync($"verify-evidence: unexpected argument '{a}'.\n{Usage}");
                    return (int)VerifyOutcome.Unreadable;
                default:
                    file = args[i];
                    break;
            }
        }
        if (file is null)
        {
            await error.WriteLineAsync("verify-evidence: name the export to check.\n" + Usage);
            return (int)VerifyOutcome.Unreadable;
        }

        Dictionary<string, ECDsa>? trusted = null;
        foreach (var keyFile in keyFiles)
        {
            if (!File.Exists(keyFile))
            {
                await error.WriteLineAsync($"verify-evidence: there is no key file {keyFile}.");
                return (int)VerifyOutcome.Unreadable;
            }
            var (keys, problem) = EvidenceSignature.ReadPublicKeys(await File.ReadAllTextAsync(keyFile));
            if (problem is not null || keys.Count == 0)
            {
                await error.WriteLineAsync($"verify-evidence: {keyFile} {problem ?? "holds no public key"}.");
                return (int)VerifyOutcome.Unreadable;
            }
            foreach (var key in keys) (trusted ??= new(StringComparer.Ordinal))[EvidenceSignature.KeyId(key)] = key;
        }

        JsonNode? export;
        try
        {
            var text = file == "-" ? await input.ReadToEndAsync() : await File.ReadAllTextAsync(file);
            export = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            await error.WriteLineAsync($"verify-evidence: cannot read {file}: {(e is JsonException ? "it is not JSON" : e.Message.TrimEnd('.'))}.");
            return (int)VerifyOutcome.Unreadable;
        }

        VerifyReport report;
        try
        {
            report = EvidenceVerifier.Verify(export, trusted);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or JsonException)
        {
            report = new VerifyReport(VerifyOutcome.Unreadable, $"This is not a readable evidence export: {e.Message}", []);
        }
        var incident = export?["incident"] is JsonObject o ? $"{o["force"]}/{o["reference"]} ({o["id"]})" : file;
        await output.WriteLineAsync($"Evidence of incident {incident}");
        foreach (var line in report.Checked) await output.WriteLineAsync("  ✓ " + line);
        if (trusted is null && report.Outcome is VerifyOutcome.Verified or VerifyOutcome.NotYetAnchored)
            await output.WriteLineAsync("  ! Checked against the keys in the export itself: give --public-key with the hub's published key to know who signed it.");
        var verdict = report.Outcome switch
        {
            VerifyOutcome.Verified => "VERIFIED: every event is on the chain and held by a signed anchor.",
            VerifyOutcome.NotYetAnchored => "NOT YET ANCHORED: " + report.Failure,
            VerifyOutcome.Failed => "FAILED: " + report.Failure,
            _ => "UNREADABLE: " + report.Failure,
        };
        await output.WriteLineAsync(verdict);
        return (int)report.Outcome;
    }
}
