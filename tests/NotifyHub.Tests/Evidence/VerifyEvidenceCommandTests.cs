using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NotifyHub.Domain.Evidence;
using NotifyHub.Domain.Ledger;
using NotifyHub.Evidence;

namespace NotifyHub.Tests.Evidence;

/// <summary><c>NotifyHub.Functions verify-evidence</c>: what it prints and the exit codes docs/evidence.md gives, for files on disk.</summary>
public sealed class VerifyEvidenceCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("notifyhub-verify-");
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _folder.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>An export of three events, anchored through <paramref name="anchored"/> (none when 0).</summary>
    private static JsonObject Export(int anchored)
    {
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(1, 3).Select(v => new StoredEvent(v, LedgerEvent.Of("delivery.routed", at.AddMinutes(v), "school-" + v, ("rule", "operation-encompass")))).ToList();
        var hashes = EvidenceChain.Hashes("inc_cli", events);
        var anchors = new List<SignedAnchor>();
        var inclusions = new List<Inclusion>();
        if (anchored > 0)
        {
            var leaves = new[] { new AnchorLeaf("inc_cli", "DEMO", "REF-CLI", anchored, hashes[anchored - 1]) };
            var tree = new MerkleTree([.. leaves.Select(l => l.Hash())]);
            var statement = new AnchorStatement(1, EvidenceChain.Genesis, Convert.ToHexStringLower(tree.Root), 1, null, at.AddDays(1), EvidenceSignature.KeyId(Key), at.AddDays(1)).ToJson();
            anchors.Add(new SignedAnchor(statement, EvidenceSignature.Sign(Key, CanonicalJson.Bytes(statement))));
            inclusions.Add(new Inclusion(1, anchored, hashes[anchored - 1], 0, 1, []));
        }
        return EvidenceExport.Build("inc_cli", "DEMO", "REF-CLI", events, anchors, inclusions,
            new Dictionary<string, string> { [EvidenceSignature.KeyId(Key)] = EvidenceSignature.PublicPem(Key) }, at.AddDays(2));
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await VerifyEvidenceCommand.RunAsync(args, output, error, new StringReader(""));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_whole_anchored_export_exits_0_against_the_published_key()
    {
        var (exit, output, _) = await RunAsync(Write("e.json", Export(3).ToJsonString()), "--public-key", Write("hub.pem", EvidenceSignature.PublicPem(Key)));
        Assert.Equal(0, exit);
        Assert.Contains("VERIFIED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Checked against the keys in the export", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_public_key_it_checks_against_the_exports_own_key_and_says_so()
    {
        var (exit, output, _) = await RunAsync(Write("e.json", Export(3).ToJsonString()));
        Assert.Equal(0, exit);
        Assert.Contains("Checked against the keys in the export", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_character_change_exits_1_naming_the_event()
    {
        var text = Export(3).ToJsonString().Replace("school-2", "school-3", StringComparison.Ordinal);
        var (exit, output, _) = await RunAsync(Write("e.json", text), "--public-key", Write("hub.pem", EvidenceSignature.PublicPem(Key)));
        Assert.Equal(1, exit);
        Assert.Contains("FAILED: Event 2:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_not_yet_anchored_exit_3()
    {
        var (exit, output, _) = await RunAsync(Write("e.json", Export(2).ToJsonString()), "--public-key", Write("hub.pem", EvidenceSignature.PublicPem(Key)));
        Assert.Equal(3, exit);
        Assert.Contains("Event 3 is not yet covered", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no file")]
    [InlineData("missing file")]
    [InlineData("not JSON")]
    [InlineData("not an export")]
    [InlineData("missing key file")]
    [InlineData("not a key")]
    [InlineData("an RSA key")]
    [InlineData("unknown option")]
    public async Task What_cannot_be_read_exits_2_saying_what(string what)
    {
        var export = Write("e.json", Export(3).ToJsonString());
        string[] args = what switch
        {
            "no file" => [],
            "missing file" => [Path.Combine(_folder.FullName, "nope.json")],
            "not JSON" => [Write("bad.json", "{\"format\": ")],
            "not an export" => [Write("other.json", "{\"hello\":\"world\"}")],
            "missing key file" => [export, "--public-key", Path.Combine(_folder.FullName, "nope.pem")],
            "not a key" => [export, "--public-key", Write("bad.pem", "hello")],
            "an RSA key" => [export, "--public-key", Write("rsa.pem", RSA.Create(2048).ExportSubjectPublicKeyInfoPem())],
            _ => [export, "--fast"],
        };
        var (exit, output, error) = await RunAsync(args);
        Assert.Equal(2, exit);
        Assert.False(string.IsNullOrWhiteSpace(output + error));
    }

    [Fact]
    public async Task An_export_signed_by_another_key_than_the_one_given_exits_1_naming_the_anchor()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (exit, output, _) = await RunAsync(Write("e.json", Export(3).ToJsonString()), "--public-key", Write("other.pem", EvidenceSignature.PublicPem(other)));
        Assert.Equal(1, exit);
        Assert.Contains("FAILED: Anchor 1:", output, StringComparison.Ordinal);
    }
}
