using NotifyHub.DevHost;
using NotifyHub.DevHost.Config;

namespace NotifyHub.Tests.DevHost;

public class AppSettingsTests
{
    [Fact]
    public void Local_settings_Values_are_app_settings_and_the_callers_settings_win()
    {
        var folder = Directory.CreateTempSubdirectory("devhost-settings-").FullName;
        File.WriteAllText(Path.Combine(folder, "local.settings.json"), """
            { "IsEncrypted": false,
              "Values": { "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated", "Channel": "email", "Schedule": "0 */5 * * * *" } }
            """);

        var settings = AppSettings.Load(folder, new Dictionary<string, string?> { ["Channel"] = "webhook" });
        Directory.Delete(folder, recursive: true);

        Assert.Equal("webhook", settings.Get("Channel"));
        Assert.Equal("0 */5 * * * *", settings.Get("schedule")); // names are case-insensitive
        Assert.Equal("every 0 */5 * * * * via webhook", settings.Expand("every %Schedule% via %Channel%", "test"));
    }

    [Fact]
    public void An_unset_setting_reference_names_the_setting_and_where_it_was_used()
    {
        var settings = new AppSettings(new Dictionary<string, string?>());
        var error = Assert.Throws<DevHostConfigurationException>(() => settings.Expand("%NoSuchSetting_42%", "Tick/function.json schedule"));
        Assert.Contains("Tick/function.json schedule refers to app setting '%NoSuchSetting_42%'", error.Message, StringComparison.Ordinal);
    }
}
