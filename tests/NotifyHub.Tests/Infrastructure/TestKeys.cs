using System.Security.Cryptography;

namespace NotifyHub.Tests.Infrastructure;

public static class TestKeys
{
    /// <summary>A child-identity HMAC key for a function app run in-process, fresh per test run.</summary>
    public static readonly string ChildIdentityKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
