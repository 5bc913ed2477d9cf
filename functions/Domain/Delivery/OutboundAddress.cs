using System.Net;
using System.Net.Sockets;

namespace NotifyHub.Domain.Delivery;

/// <summary>What <see cref="OutboundAddressPolicy.Classify"/> made of a URL's host: a name to resolve, or an address literal and whether it may be reached.</summary>
public enum HostVerdict
{
    /// <summary>Not an address literal: resolve it, then check every address it resolves to with <see cref="OutboundAddressPolicy.Permits"/>.</summary>
    Name,
    Permitted,
    Refused,
}

/// <summary>
/// Which IP addresses a webhook may connect to. Safeguarding data must not be sent into the hub's own network:
/// loopback, private, shared (CGNAT), link-local (and so the cloud metadata service), multicast, reserved and
/// unspecified addresses are refused unless a network in the allow-list holds them. Decided on the address
/// actually connected to, after DNS, so a name that resolves differently later (DNS rebinding) cannot get round it.
/// A host that is an address literal is turned into its address here and nowhere else (<see cref="Classify"/>), and
/// the connection goes to exactly that address.
/// </summary>
public sealed class OutboundAddressPolicy
{
    /// <summary>
    /// Refused unless an allowed network holds them. Besides private and reserved space, every IPv6 form that carries
    /// an IPv4 address to a tunnel or a translator is refused outright (IPv4-compatible <c>::/96</c>, IPv4-translated
    /// <c>::ffff:0:0:0/96</c>, NAT64 <c>64:ff9b::/96</c> and <c>64:ff9b:1::/48</c>, 6to4 <c>2002::/16</c>, Teredo
    /// inside <c>2001::/23</c>): a relay would carry the connection on to the address inside, which may be private.
    /// (IPv4-mapped <c>::ffff:0:0/96</c> is a local socket's form, checked as its IPv4 address.)
    /// </summary>
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("168.63.129.16/32"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.88.99.0/24"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/96"), IPNetwork.Parse("::ffff:0:0:0/96"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001::/23"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("2002::/16"),
        IPNetwork.Parse("3fff::/20"), IPNetwork.Parse("5f00::/16"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>
    /// The cloud platforms' own services — Azure's wireserver (168.63.129.16) and the instance metadata services — are
    /// never reached, whatever the allow-list says: a broad allowed network (a whole private range, or 0.0.0.0/0) must
    /// not open the platform's credentials to a webhook URL.
    /// </summary>
    private static readonly IPNetwork[] Never =
    [
        IPNetwork.Parse("168.63.129.16/32"), IPNetwork.Parse("169.254.169.254/32"), IPNetwork.Parse("fd00:ec2::254/128"),
    ];

    private readonly IReadOnlyList<IPNetwork> _allowed;

    public OutboundAddressPolicy(IReadOnlyList<IPNetwork> allowed) => _allowed = allowed;

    /// <summary>Parses a comma-separated list of networks (CIDR, or single addresses); null with the bad entry named when one is not.</summary>
    public static bool TryParseNetworks(string? list, out IReadOnlyList<IPNetwork> networks, out string? bad)
    {
        var parsed = new List<IPNetwork>();
        bad = null;
        foreach (var entry in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network)) parsed.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) parsed.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            else { bad = entry; break; }
        }
        networks = parsed;
        return bad is null;
    }

    /// <summary>
    /// The address a URL's host names when it is an address literal, as the connection will use it; null for a name.
    /// Takes the forms a URL's host comes in: dotted, decimal, octal or hex IPv4 (<c>127.1</c>, <c>2130706433</c>,
    /// <c>0x7f.0.0.1</c>), IPv6 with or without brackets, with a zone id (<c>fe80::1%eth0</c>, <c>[fe80::1%25eth0]</c>).
    /// </summary>
    public static IPAddress? Literal(string host)
    {
        var text = host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        return IPAddress.TryParse(text, out var address) ? address : null;
    }

    /// <summary>
    /// Host text (a URL's host as the connection gets it) to a verdict: a name (to resolve, then check each address),
    /// or an address literal permitted or refused. <paramref name="address"/> is the literal's address, the one to connect to.
    /// </summary>
    public HostVerdict Classify(string host, out IPAddress? address)
    {
        address = Literal(host);
        return address is null ? HostVerdict.Name : Permits(address) ? HostVerdict.Permitted : HostVerdict.Refused;
    }

    /// <summary>Whether the hub may connect to <paramref name="address"/>.</summary>
    public bool Permits(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (In(Never, address)) return false;
        if (_allowed.Any(n => n.Contains(address))) return true;
        return !In(Refused, address);
    }

    private static bool In(IPNetwork[] networks, IPAddress address)
    {
        foreach (var network in networks)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address)) return true;
        }
        return false;
    }
}
