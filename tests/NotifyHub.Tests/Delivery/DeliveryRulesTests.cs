using System.Net;
using NotifyHub.Delivery;
using NotifyHub.Domain.Delivery;
using NotifyHub.Domain.Directory;

namespace NotifyHub.Tests.Delivery;

public class WebhookResponseTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(202)]
    [InlineData(204)]
    [InlineData(299)]
    public void Only_2xx_is_delivered(int status) => Assert.Equal(OutcomeKind.Delivered, WebhookResponse.Classify(status, null, Now).Kind);

    [Fact]
    public void Gone_is_permanent() => Assert.Equal(AttemptOutcome.Permanent("http-410-gone"), WebhookResponse.Classify(410, null, Now));

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public void A_redirect_is_a_failure_and_is_not_followed(int status)
    {
        var outcome = WebhookResponse.Classify(status, null, Now);
        Assert.Equal(OutcomeKind.Transient, outcome.Kind);
        Assert.Contains("redirect", outcome.ErrorClass);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(502)]
    public void Any_other_status_is_tried_again(int status) => Assert.Equal(AttemptOutcome.Transient($"http-{status}"), WebhookResponse.Classify(status, null, Now));

    [Theory]
    [InlineData("120", 120)]
    [InlineData("Thu, 26 Nov 2026 09:05:00 GMT", 300)]
    public void Retry_after_is_read_as_seconds_or_an_http_date(string header, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), WebhookResponse.Classify(429, header, Now).RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(seconds), WebhookResponse.Classify(503, header, Now).RetryAfter);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("Thu, 26 Nov 2026 08:00:00 GMT")]
    public void An_unreadable_or_past_retry_after_is_ignored(string? header) => Assert.Null(WebhookResponse.ParseRetryAfter(header, Now));
}

public class OutboundAddressPolicyTests
{
    private static readonly OutboundAddressPolicy Default = new([]);

    /// <summary>Host text as a webhook URL gives it to the connection, and what the policy makes of it.</summary>
    public static TheoryData<string, HostVerdict> Hosts => new()
    {
        // Loopback, in every spelling an IPv4 literal has.
        { "127.0.0.1", HostVerdict.Refused },
        { "127.255.0.9", HostVerdict.Refused },
        { "127.1", HostVerdict.Refused },
        { "2130706433", HostVerdict.Refused },
        { "0177.0.0.1", HostVerdict.Refused },
        { "017700000001", HostVerdict.Refused },
        { "0x7f.0.0.1", HostVerdict.Refused },
        { "0x7f.1", HostVerdict.Refused },
        { "0x7f000001", HostVerdict.Refused },
        { "::1", HostVerdict.Refused },
        { "[::1]", HostVerdict.Refused },
        { "::1%lo", HostVerdict.Refused },
        { "[::1%25lo]", HostVerdict.Refused },
        { "::ffff:127.0.0.1", HostVerdict.Refused },
        { "[::ffff:127.0.0.1]", HostVerdict.Refused },
        { "::ffff:7f00:1", HostVerdict.Refused },
        // Private, shared, link-local (the cloud metadata service), multicast, reserved, unspecified.
        { "10.1.2.3", HostVerdict.Refused },
        { "012.1.2.3", HostVerdict.Refused },
        { "172.16.0.1", HostVerdict.Refused },
        { "172.31.255.255", HostVerdict.Refused },
        { "192.168.1.1", HostVerdict.Refused },
        { "0xc0a80101", HostVerdict.Refused },
        { "169.254.169.254", HostVerdict.Refused },
        { "2852039166", HostVerdict.Refused },
        { "0xa9.0xfe.0xa9.0xfe", HostVerdict.Refused },
        { "100.64.0.1", HostVerdict.Refused },
        { "0.0.0.0", HostVerdict.Refused },
        { "0", HostVerdict.Refused },
        { "224.0.0.1", HostVerdict.Refused },
        { "255.255.255.255", HostVerdict.Refused },
        { "198.18.0.1", HostVerdict.Refused },
        { "::", HostVerdict.Refused },
        { "[::]", HostVerdict.Refused },
        { "fe80::1", HostVerdict.Refused },
        { "fe80::1%eth0", HostVerdict.Refused },
        { "[fe80::1%25eth0]", HostVerdict.Refused },
        { "fc00::1", HostVerdict.Refused },
        { "fd00:ec2::254", HostVerdict.Refused },
        { "[fd00:ec2::254]", HostVerdict.Refused },
        { "::ffff:10.0.0.1", HostVerdict.Refused },
        { "::ffff:169.254.169.254", HostVerdict.Refused },
        { "64:ff9b::a9fe:a9fe", HostVerdict.Refused },
        { "ff02::1", HostVerdict.Refused },
        // Azure's platform address (the wireserver), in any spelling.
        { "168.63.129.16", HostVerdict.Refused },
        { "2822734096", HostVerdict.Refused },
        { "::ffff:168.63.129.16", HostVerdict.Refused },
        // IPv6 forms that carry an IPv4 address to a tunnel or translator: IPv4-compatible (::/96), IPv4-translated
        // (::ffff:0:0:0/96), local-use NAT64 (64:ff9b:1::/48), 6to4 (2002::/16) and Teredo (2001::/32), whose relay
        // would take the connection on to the address inside.
        { "::7f00:1", HostVerdict.Refused },
        { "[::127.0.0.1]", HostVerdict.Refused },
        { "::a9fe:a9fe", HostVerdict.Refused },
        { "::808:808", HostVerdict.Refused },
        { "::ffff:0:7f00:1", HostVerdict.Refused },
        { "::ffff:0:808:808", HostVerdict.Refused },
        { "64:ff9b:1::a9fe:a9fe", HostVerdict.Refused },
        { "2002:a9fe:a9fe::1", HostVerdict.Refused },
        { "2002:7f00:1::", HostVerdict.Refused },
        { "2001:0:4136:e378:8000:63bf:3fff:fdd2", HostVerdict.Refused },
        { "192.88.99.1", HostVerdict.Refused },
        // Other special-purpose IPv6: benchmarking and ORCHID (2001::/23), documentation (3fff::/20), SRv6 SIDs (5f00::/16).
        { "2001:2::1", HostVerdict.Refused },
        { "2001:20::1", HostVerdict.Refused },
        { "3fff::1", HostVerdict.Refused },
        { "5f00::1", HostVerdict.Refused },
        // Public addresses.
        { "8.8.8.8", HostVerdict.Permitted },
        { "51.140.1.1", HostVerdict.Permitted },
        { "134744072", HostVerdict.Permitted },
        { "172.32.0.1", HostVerdict.Permitted },
        { "::ffff:8.8.8.8", HostVerdict.Permitted },
        { "2a00:1450:4009:81f::200e", HostVerdict.Permitted },
        { "[2a00:1450:4009:81f::200e]", HostVerdict.Permitted },
        // Names: resolved, and then every address checked (a trailing dot or a space makes a name, not a literal).
        { "example.org", HostVerdict.Name },
        { "localhost", HostVerdict.Name },
        { "127.0.0.1.", HostVerdict.Name },
        { "1e100", HostVerdict.Name },
        { "[example.org]", HostVerdict.Name },
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public void A_host_is_a_name_to_resolve_or_an_address_the_hub_may_or_may_not_reach(string host, HostVerdict expected) =>
        Assert.Equal(expected, Default.Classify(host, out _));

    [Theory]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0x7f.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("134744072", "8.8.8.8")]
    [InlineData("[::ffff:8.8.8.8]", "::ffff:8.8.8.8")]
    [InlineData("[2a00:1450:4009:81f::200e]", "2a00:1450:4009:81f::200e")]
    public void A_literal_is_classified_as_the_address_the_connection_then_goes_to(string host, string address)
    {
        Default.Classify(host, out var parsed);
        Assert.Equal(IPAddress.Parse(address), parsed);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    public void A_resolved_private_or_metadata_address_is_refused(string address) => Assert.False(Default.Permits(IPAddress.Parse(address)));

    [Theory]
    [InlineData("168.63.129.16")]
    [InlineData("::ffff:168.63.129.16")]
    [InlineData("169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    public void The_cloud_platform_and_metadata_addresses_are_refused_even_when_an_allowed_network_holds_them(string host)
    {
        Assert.True(OutboundAddressPolicy.TryParseNetworks("0.0.0.0/0,::/0", out var everything, out _));
        var policy = new OutboundAddressPolicy(everything);
        Assert.Equal(HostVerdict.Refused, policy.Classify(host, out _));
        Assert.Equal(HostVerdict.Permitted, policy.Classify("10.0.0.1", out _));
    }

    [Fact]
    public void An_allow_listed_network_is_permitted_and_nothing_beside_it()
    {
        Assert.True(OutboundAddressPolicy.TryParseNetworks("10.20.0.0/16, 127.0.0.1", out var networks, out _));
        var policy = new OutboundAddressPolicy(networks);
        Assert.True(policy.Permits(IPAddress.Parse("10.20.3.4")));
        Assert.True(policy.Permits(IPAddress.Parse("127.0.0.1")));
        Assert.False(policy.Permits(IPAddress.Parse("10.21.0.1")));
        Assert.False(policy.Permits(IPAddress.Parse("127.0.0.2")));
    }

    [Fact]
    public void A_bad_allow_list_entry_is_named()
    {
        Assert.False(OutboundAddressPolicy.TryParseNetworks("10.0.0.0/8,example.org", out _, out var bad));
        Assert.Equal("example.org", bad);
    }
}

public class LinkTokenTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly LinkGrant Grant = new("inc_0123456789abcdef0123456789abcdef.school-100001", "nonce123", Now.AddDays(7));

    [Fact]
    public void A_token_grants_its_notification_until_it_expires()
    {
        var token = LinkToken.Create(Key, Grant);
        Assert.Equal(Grant with { ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(Grant.ExpiresAt.ToUnixTimeSeconds()) }, LinkToken.Verify(Key, token, Now));
        Assert.Null(LinkToken.Verify(Key, token, Now.AddDays(7)));
    }

    [Fact]
    public void A_token_signed_with_another_key_or_altered_grants_nothing()
    {
        var token = LinkToken.Create(Key, Grant);
        Assert.Null(LinkToken.Verify(Key.Reverse().ToArray(), token, Now));
        var other = LinkToken.Create(Key, Grant with { NotificationId = "inc_0123456789abcdef0123456789abcdef.school-100002" });
        var spliced = other[..other.IndexOf('.')] + token[token.IndexOf('.')..];
        Assert.Null(LinkToken.Verify(Key, spliced, Now));
    }

    [Fact]
    public void During_a_key_rotation_a_token_signed_with_the_current_or_the_previous_key_grants_and_no_other()
    {
        var previous = Key.Reverse().ToArray();
        IReadOnlyList<byte[]> rotating = [Key, previous];
        Assert.Equal(Grant.NotificationId, LinkToken.Verify(rotating, LinkToken.Create(Key, Grant), Now)?.NotificationId);
        Assert.Equal(Grant.NotificationId, LinkToken.Verify(rotating, LinkToken.Create(previous, Grant), Now)?.NotificationId);
        Assert.Null(LinkToken.Verify(rotating, LinkToken.Create(Enumerable.Repeat((byte)7, 32).ToArray(), Grant), Now));
        Assert.Null(LinkToken.Verify(rotating, LinkToken.Create(previous, Grant), Grant.ExpiresAt));
        Assert.Null(LinkToken.Verify([Key], LinkToken.Create(previous, Grant), Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("!!!.???")]
    [InlineData("a.b.c")]
    public void Garbage_grants_nothing(string? token) => Assert.Null(LinkToken.Verify(Key, token, Now));

    [Fact]
    public void The_token_carries_ids_only()
    {
        var token = LinkToken.Create(Key, Grant);
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token[..token.IndexOf('.')].Replace('-', '+').Replace('_', '/').PadRight((token.IndexOf('.') + 3) / 4 * 4, '=')));
        Assert.StartsWith(Grant.NotificationId + "|nonce123|", payload);
    }
}

public class ChannelPlanTests
{
    private static Organisation School(ChannelSettings? channel, params Contact[] contacts) =>
        new("school-100001", OrganisationTypes.School, "Synthetic", true, Channel: channel, Contacts: contacts);

    [Fact]
    public void A_webhook_recipient_falls_back_to_email_to_its_first_contact_with_an_address()
    {
        var school = School(new ChannelSettings("webhook", "https://example.org/hook", null), new Contact("Office", null, null, "0123 456789"),
            new Contact("DSL", "DSL", "dsl@example.invalid", null));
        Assert.Equal([DeliveryChannels.Webhook, DeliveryChannels.Email], ChannelPlan.For(school));
        Assert.Equal("dsl@example.invalid", ChannelPlan.EmailAddress(school));
    }

    [Fact]
    public void A_webhook_recipient_without_a_contact_email_has_no_fallback() =>
        Assert.Equal([DeliveryChannels.Webhook], ChannelPlan.For(School(new ChannelSettings("webhook", "https://example.org/hook", null))));

    [Fact]
    public void An_email_recipient_is_sent_to_its_channel_address() =>
        Assert.Equal("team@example.invalid", ChannelPlan.EmailAddress(School(new ChannelSettings("email", null, "team@example.invalid"), new Contact("X", null, "x@example.invalid", null))));

    [Fact]
    public void A_recipient_with_no_channel_or_an_inbox_channel_pulls_from_its_inbox()
    {
        Assert.Equal([DeliveryChannels.Inbox], ChannelPlan.For(School(null)));
        Assert.Equal([DeliveryChannels.Inbox], ChannelPlan.For(School(new ChannelSettings("inbox", null, null))));
        Assert.Equal([DeliveryChannels.Inbox], ChannelPlan.For(null));
    }
}

public class NotificationIdTests
{
    [Fact]
    public void A_notification_id_names_its_incident_and_recipient()
    {
        var id = NotificationId.Format("inc_0123456789abcdef0123456789abcdef", "school-100001");
        Assert.True(NotificationId.TryParse(id, out var incident, out var recipient));
        Assert.Equal(("inc_0123456789abcdef0123456789abcdef", "school-100001"), (incident, recipient));
    }

    [Theory]
    [InlineData("")]
    [InlineData("inc_0123456789abcdef0123456789abcdef")]
    [InlineData("inc_0123456789abcdef0123456789abcdef.")]
    [InlineData(".school-1")]
    [InlineData("inc_0123.school-1")]
    [InlineData("inc_0123456789ABCDEF0123456789abcdef.school-1")]
    [InlineData("inc_0123456789abcdef0123456789abcdef.School-1")]
    [InlineData("inc_0123456789abcdef0123456789abcdef.school/1")]
    [InlineData("foo.bar")]
    public void Anything_else_is_not_a_notification_id(string id) => Assert.False(NotificationId.TryParse(id, out _, out _));

    [Fact]
    public void Inbox_keys_sort_newer_incidents_first_and_give_the_incident_id_back()
    {
        var older = "inc_01a2000000000000000000000000000a";
        var newer = "inc_01a2000000000000000000000000000b";
        Assert.True(string.CompareOrdinal(InboxKeys.RowKey(newer), InboxKeys.RowKey(older)) < 0);
        Assert.Equal(older, InboxKeys.IncidentId(InboxKeys.RowKey(older)));
    }
}
