using NotifyHub.DevHost.Queues;

namespace NotifyHub.Tests.DevHost;

public class PollingBackoffTests
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(0, 1.0, 100)]
    [InlineData(1, 1.0, 200)]
    [InlineData(2, 1.0, 300)]
    [InlineData(3, 1.0, 500)]
    [InlineData(4, 0.8, 740)]
    [InlineData(4, 1.2, 1060)]
    [InlineData(5, 1.0, 1700)]
    [InlineData(6, 0.8, 2000)]
    [InlineData(60, 1.2, 2000)]
    public void Each_empty_poll_doubles_the_increment_with_jitter_up_to_maxPollingInterval(int emptyPolls, double jitter, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), PollingBackoff.Delay(emptyPolls, Max, jitter));
    }

    [Fact]
    public void Finding_a_message_resets_the_delay_to_the_minimum()
    {
        var backoff = new PollingBackoff(Max, () => 0.5);
        backoff.Empty();
        backoff.Empty();
        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.Empty());
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Found());
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Empty());
    }
}
