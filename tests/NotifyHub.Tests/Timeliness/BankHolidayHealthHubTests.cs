using NotifyHub.Domain;
using NotifyHub.Tests.Infrastructure;
using static NotifyHub.Tests.Timeliness.TimelinessApi;

namespace NotifyHub.Tests.Timeliness;

/// <summary>
/// A hub that starts with no bank holidays. It warns two years ahead (the most the setting allows) rather than 60 days,
/// so that a file ending this year or next is always "ending soon", whatever today's date is.
/// </summary>
public sealed class BankHolidayHealthHubFixture : HubFixture
{
    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>
    {
        ["Timeliness__BankHolidaysWarnAhead"] = "731.00:00:00",
    };
}

/// <summary>Issue 17: health says when due times rest on bank holidays the hub does not have.</summary>
public class BankHolidayHealthHubTests(BankHolidayHealthHubFixture hub) : IClassFixture<BankHolidayHealthHubFixture>
{
    [Fact]
    public async Task Health_is_degraded_without_bank_holidays_or_once_they_have_run_out_and_warns_while_they_are_running_out()
    {
        // Years relative to today: the hub judges by the real clock. Each file is chosen so the answer holds even if the
        // year turns while the test runs (a file ending next year is within two years of today in either year).
        var year = UkTime.DateOf(DateTimeOffset.UtcNow).Year;

        var none = await GetAsync(hub, "/api/admin/health", hub.AdminKey);
        Assert.Equal("degraded", none.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, none.GetProperty("bankHolidaysCoveredUntil").ValueKind);
        Assert.Contains(Warnings(none), w => w.StartsWith("No bank holidays are loaded", StringComparison.Ordinal));

        await LoadBankHolidaysAsync(hub, year - 3, year - 2);
        var ended = await GetAsync(hub, "/api/admin/health", hub.AdminKey);
        Assert.Equal("degraded", ended.GetProperty("status").GetString());
        Assert.Equal($"{year - 2}-12-31", ended.GetProperty("bankHolidaysCoveredUntil").GetString());
        Assert.Contains(Warnings(ended), w => w.Contains($"ended on {year - 2}-12-31", StringComparison.Ordinal));

        await LoadBankHolidaysAsync(hub, year, year + 1);
        var endingSoon = await GetAsync(hub, "/api/admin/health", hub.AdminKey);
        Assert.Equal("ok", endingSoon.GetProperty("status").GetString());
        Assert.Equal($"{year + 1}-12-31", endingSoon.GetProperty("bankHolidaysCoveredUntil").GetString());
        Assert.Contains(Warnings(endingSoon), w => w.Contains($"end on {year + 1}-12-31, in ", StringComparison.Ordinal));

        await LoadBankHolidaysAsync(hub, year, year + 1, year + 2, year + 3);
        var covered = await GetAsync(hub, "/api/admin/health", hub.AdminKey);
        Assert.Equal("ok", covered.GetProperty("status").GetString());
        Assert.Equal($"{year + 3}-12-31", covered.GetProperty("bankHolidaysCoveredUntil").GetString());
        Assert.Empty(Warnings(covered));
    }

    private static List<string> Warnings(System.Text.Json.JsonElement health) =>
        health.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
}
