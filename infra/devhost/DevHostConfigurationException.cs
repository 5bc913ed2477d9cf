namespace NotifyHub.DevHost;

/// <summary>The script root, its settings or the options cannot be run; the message says what to fix.</summary>
public sealed class DevHostConfigurationException : Exception
{
    public DevHostConfigurationException(string message) : base(message) { }
    public DevHostConfigurationException(string message, Exception inner) : base(message, inner) { }
    public DevHostConfigurationException() { }
}
