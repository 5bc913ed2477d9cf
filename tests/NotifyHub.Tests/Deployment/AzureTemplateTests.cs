using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotifyHub.Tests.Infrastructure;

namespace NotifyHub.Tests.Deployment;

/// <summary>
/// infra/azure/main.bicep, checked the way CI checks it (scripts/bicep-check: the Bicep CLI from NuGet, build and lint,
/// any warning fails), and its app settings held against what the app needs, so the two cannot drift.
/// </summary>
public partial class AzureTemplateTests
{
    private static readonly string Template = Path.Combine(RepoPaths.Root, "infra", "azure", "main.bicep");

    /// <summary>The app settings that carry a key: each a Key Vault reference to the secret of the same name (<c>__</c> as <c>--</c>).</summary>
    private static readonly string[] KeySettings =
        ["Routing__ChildIdentityKey", "Delivery__LinkSigningKey", "Delivery__WebhookSecretKey", "Evidence__SigningKey"];

    [Fact]
    public async Task The_Azure_template_builds_and_lints_with_no_errors_or_warnings()
    {
        var (exitCode, _, output) = await RunAsync(Path.Combine(RepoPaths.Root, "scripts", "bicep-check"), Template);
        Assert.True(exitCode == 0, output);
    }

    [Theory]
    [InlineData("an undefined symbol", "output broken string = notDeclaredAnywhere", true)]
    [InlineData("an unused parameter, beside the repository's bicepconfig.json", "param neverUsed string", true)]
    [InlineData("an unused parameter, where the linter's default level (warning) applies", "param neverUsed string", false)]
    public async Task A_broken_copy_of_the_template_fails_the_same_check(string flaw, string appended, bool withConfig)
    {
        var folder = Directory.CreateTempSubdirectory("notifyhub-bicep-");
        try
        {
            var copy = Path.Combine(folder.FullName, "main.bicep");
            File.WriteAllText(copy, File.ReadAllText(Template) + Environment.NewLine + appended + Environment.NewLine);
            if (withConfig) File.Copy(Path.Combine(RepoPaths.Root, "infra", "azure", "bicepconfig.json"), Path.Combine(folder.FullName, "bicepconfig.json"));
            var modules = Path.Combine(RepoPaths.Root, "infra", "azure", "modules");
            if (Directory.Exists(modules)) CopyFolder(modules, Path.Combine(folder.FullName, "modules"));

            var (exitCode, _, output) = await RunAsync(Path.Combine(RepoPaths.Root, "scripts", "bicep-check"), copy);

            Assert.True(exitCode != 0, $"A copy with {flaw} passed the check:\n{output}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_template_sets_every_app_setting_the_app_validates_at_start_up_or_names_in_a_trigger()
    {
        var settings = await TemplateAppSettingsAsync();
        var required = RequiredOptionSettings();
        // Reflection that found nothing would pass vacuously.
        Assert.Contains("Routing__ChildIdentityKey", required);
        Assert.Contains("Delivery__LinkSigningKey", required);
        Assert.Contains("Delivery__WebhookSecretKey", required);
        Assert.Contains("Delivery__PublicBaseUrl", required);

        var needed = required
            .Concat(TriggerSettings())
            // StorageOptions has no section: it reads AzureWebJobsStorage, which in Azure is an identity-based connection.
            .Append("AzureWebJobsStorage__accountName")
            .Append("AzureWebJobsStorage__credential")
            .Append("AzureWebJobsStorage__clientId")
            .Append("APPLICATIONINSIGHTS_CONNECTION_STRING")
            // The hub answers / itself (ShowHome): the host's homepage is turned off.
            .Append("AzureWebJobsDisableHomepage")
            .Distinct()
            .Order(StringComparer.Ordinal);
        var missing = needed.Where(name => !settings.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, "infra/azure/main.bicep does not set: " + string.Join(", ", missing));
        Assert.Equal("true", settings["AzureWebJobsDisableHomepage"]);
    }

    [Fact]
    public async Task The_template_sets_nothing_that_is_for_development_only_and_no_storage_key()
    {
        var settings = await TemplateAppSettingsAsync();

        Assert.Equal("Production", settings["AZURE_FUNCTIONS_ENVIRONMENT"]);
        Assert.Equal("false", settings["Directory__DemoMode"]);
        Assert.True(!settings.TryGetValue("Delivery__AllowHttpToLoopback", out var loopback) || loopback == "false",
            $"Delivery__AllowHttpToLoopback is '{loopback}'");
        Assert.True(!settings.TryGetValue("Email__RequireTls", out var tls) || tls == "true", $"Email__RequireTls is '{tls}'");
        // Shared-key access is off on the account: a connection string with a key would not work, and must not exist.
        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "the template sets a storage connection string");
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        foreach (var secret in KeySettings)
            Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", settings[secret], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_key_reaches_the_app_as_a_Key_Vault_reference_to_its_own_secret_set_from_a_secure_parameter()
    {
        var template = await CompiledTemplateAsync();
        var settings = AppSettings(template);

        foreach (var setting in KeySettings)
        {
            var secretName = setting.Replace("__", "--", StringComparison.Ordinal);
            // Versionless: the reference names the secret resource and takes its secretUri, not a version's.
            Assert.Equal(
                $"[format('@Microsoft.KeyVault(SecretUri={{0}})', reference(resourceId('Microsoft.KeyVault/vaults/secrets', variables('keyVaultName'), '{secretName}'), '2023-07-01').secretUri)]",
                settings[setting]);

            var secret = Assert.Single(Resources(template, "Microsoft.KeyVault/vaults/secrets"),
                r => NameSegments(template, r["name"]!.GetValue<string>()).Last() == secretName);
            var value = secret["properties"]!["value"]!.GetValue<string>();
            var parameter = ParameterReference().Match(value);
            Assert.True(parameter.Success, $"{secretName} is set from '{value}', not from a parameter");
            Assert.Equal("securestring", template["parameters"]![parameter.Groups[1].Value]!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_evidence_anchors_container_has_a_time_based_immutability_policy_of_at_least_a_year_and_no_appends()
    {
        var template = await CompiledTemplateAsync();

        var container = Assert.Single(Resources(template, "Microsoft.Storage/storageAccounts/blobServices/containers"),
            r => NameSegments(template, r["name"]!.GetValue<string>()).Last() == "evidence-anchors");
        Assert.Equal("None", container["properties"]!["publicAccess"]!.GetValue<string>());

        // Its parent is the container: account/default/evidence-anchors/default.
        var policy = Assert.Single(Resources(template, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"),
            r => NameSegments(template, r["name"]!.GetValue<string>()) is [.., "evidence-anchors", "default"]);
        var properties = policy["properties"]!.AsObject();
        var days = IntValue(template, properties["immutabilityPeriodSinceCreationInDays"]!);
        Assert.True(days >= 365, $"The evidence anchors are held for {days} days by default");
        // The hub only creates anchors: no blocks appended to a protected blob, of either kind.
        Assert.False(properties["allowProtectedAppendWrites"]!.GetValue<bool>());
        Assert.False(properties["allowProtectedAppendWritesAll"]?.GetValue<bool>() ?? false);
    }

    /// <summary>Each <c>[Required]</c> property of an options class with a <c>Section</c>, as the app setting that binds it.</summary>
    private static List<string> RequiredOptionSettings() =>
        typeof(NotifyHub.Delivery.DeliveryOptions).Assembly.GetTypes()
            .Select(type => (type, section: type.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.section is { IsLiteral: true } && t.section.FieldType == typeof(string))
            .SelectMany(t => t.type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<RequiredAttribute>() is not null)
                .Select(p => $"{t.section!.GetRawConstantValue()}__{p.Name}"))
            .ToList();

    /// <summary>Every <c>%Name%</c> in the built functions.metadata (schedules, queue names), and every binding's connection.</summary>
    private static List<string> TriggerSettings()
    {
        var metadata = File.ReadAllText(Path.Combine(RepoPaths.FunctionsScriptRoot, "functions.metadata"));
        var names = PercentSetting().Matches(metadata).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("SlaMonitorSchedule", names);
        foreach (var function in JsonNode.Parse(metadata)!.AsArray())
            foreach (var binding in function!["bindings"]!.AsArray())
                if (binding!["connection"]?.GetValue<string>() is { Length: > 0 } connection)
                    names.Add(connection + "__accountName");
        return names;
    }

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex PercentSetting();

    /// <summary>The function app's app settings in the compiled ARM template (bicep build --stdout), by name; values as the template gives them.</summary>
    private static async Task<Dictionary<string, string>> TemplateAppSettingsAsync() => AppSettings(await CompiledTemplateAsync());

    /// <summary>The template as the Bicep CLI compiles it into ARM JSON (bicep build --stdout).</summary>
    private static async Task<JsonNode> CompiledTemplateAsync()
    {
        var (pathExit, bicep, pathOutput) = await RunAsync(Path.Combine(RepoPaths.Root, "scripts", "bicep-check"), "--bicep-path");
        Assert.True(pathExit == 0, pathOutput);
        var (exitCode, arm, output) = await RunAsync(bicep.Trim(), "build", Template, "--stdout");
        Assert.True(exitCode == 0, output);
        return JsonNode.Parse(arm)!;
    }

    private static Dictionary<string, string> AppSettings(JsonNode template)
    {
        var configs = Descendants(template)
            .OfType<JsonObject>()
            .Where(o => o["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                && o["type"]!.GetValue<string>() == "Microsoft.Web/sites/config"
                && o["name"]!.GetValue<string>().Contains("appsettings", StringComparison.Ordinal))
            .ToList();
        var config = Assert.Single(configs);
        // A literal object, so that its names can be read here; an expression (union, a variable) would hide them.
        var properties = Assert.IsType<JsonObject>(config["properties"]);
        return properties.ToDictionary(p => p.Key, p => p.Value switch
        {
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
            null => "",
            var other => other.ToJsonString(),
        });
    }

    /// <summary>The compiled template's resources of one type, wherever they sit.</summary>
    private static List<JsonObject> Resources(JsonNode template, string type) =>
        Descendants(template)
            .OfType<JsonObject>()
            .Where(o => o["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                && o["type"]!.GetValue<string>() == type
                && o["name"]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .ToList();

    /// <summary>
    /// A resource name's segments (account/default/container/...): the compiled <c>[format('{0}/{1}', ...)]</c> read with
    /// its string literals, and variables that are plain strings, filled in; any other expression is left as written.
    /// </summary>
    private static string[] NameSegments(JsonNode template, string name)
    {
        if (!name.StartsWith('[')) return name.Split('/');
        var format = FormatExpression().Match(name);
        Assert.True(format.Success, $"A resource name the test cannot read: {name}");
        var arguments = TopLevelArguments(format.Groups[2].Value).Select(argument => Literal(template, argument)).ToArray<object>();
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, format.Groups[1].Value, arguments).Split('/');
    }

    private static string Literal(JsonNode template, string argument)
    {
        if (StringLiteral().Match(argument) is { Success: true } literal) return literal.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
        if (VariableReference().Match(argument) is { Success: true } variable
            && template["variables"]?[variable.Groups[1].Value] is JsonValue value
            && value.GetValueKind() == System.Text.Json.JsonValueKind.String
            && !value.GetValue<string>().StartsWith('['))
            return value.GetValue<string>();
        return argument;
    }

    /// <summary>An expression's arguments, split at the commas outside quotes and brackets.</summary>
    private static List<string> TopLevelArguments(string arguments)
    {
        var result = new List<string>();
        var (depth, quoted, start) = (0, false, 0);
        for (var i = 0; i < arguments.Length; i++)
        {
            var c = arguments[i];
            if (c == '\'') quoted = !quoted;
            else if (!quoted && c is '(' or '[') depth++;
            else if (!quoted && c is ')' or ']') depth--;
            else if (!quoted && depth == 0 && c == ',')
            {
                result.Add(arguments[start..i].Trim());
                start = i + 1;
            }
        }
        result.Add(arguments[start..].Trim());
        return result;
    }

    /// <summary>An int property: a literal, or a parameter's default value.</summary>
    private static int IntValue(JsonNode template, JsonNode value)
    {
        if (value.GetValueKind() == System.Text.Json.JsonValueKind.Number) return value.GetValue<int>();
        var parameter = ParameterReference().Match(value.GetValue<string>());
        Assert.True(parameter.Success, $"Not a literal or a parameter: {value}");
        var defaultValue = template["parameters"]![parameter.Groups[1].Value]!["defaultValue"];
        Assert.True(defaultValue is not null, $"Parameter {parameter.Groups[1].Value} has no default value");
        return defaultValue.GetValue<int>();
    }

    [GeneratedRegex(@"^\[format\('([^']*)', (.*)\)\]$")]
    private static partial Regex FormatExpression();

    [GeneratedRegex(@"^'((?:[^']|'')*)'$")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^variables\('([^']+)'\)$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children)
            if (child is not null)
                foreach (var descendant in Descendants(child))
                    yield return descendant;
    }

    /// <summary>Runs a program to the end: its exit code, its standard output, and both outputs together for messages.</summary>
    private static async Task<(int ExitCode, string Stdout, string Output)> RunAsync(string executable, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stdout + await stderr);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
