using MessagePack;
using Microsoft.AspNetCore.SignalR;

namespace Serverless.Protocol.MessagePack;

/// <summary>
/// The SignalR MessagePack hub protocol as this service speaks it, for servers and .NET clients alike: each message is
/// its JSON document (docs/schemas) written as MessagePack.
/// </summary>
public static class ProtocolMessagePack
{
    /// <summary>The serializer options every party uses: the protocol's JSON forms, untrusted-data limits.</summary>
    public static MessagePackSerializerOptions SerializerOptions { get; } =
        MessagePackSerializerOptions.Standard.WithResolver(JsonMessagePackResolver.Instance).WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Sets <paramref name="options"/> to <see cref="SerializerOptions"/>; pass to <c>AddMessagePackProtocol</c>.</summary>
    public static void Configure(MessagePackHubProtocolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SerializerOptions = SerializerOptions;
    }
}
