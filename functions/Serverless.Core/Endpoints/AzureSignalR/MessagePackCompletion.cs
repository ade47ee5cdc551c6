using System.Buffers.Binary;
using System.Text;

namespace Serverless.Core.Endpoints.AzureSignalR;

/// <summary>
/// Just enough of the SignalR MessagePack hub protocol to refuse a MessagePack client in its own protocol: read an
/// invocation's id (<c>[1, headers, invocationId, target, arguments…]</c>) and write a completion with an error
/// (<c>[3, headers, invocationId, 1, error]</c>), length-prefixed as the protocol frames messages.
/// </summary>
internal static class MessagePackCompletion
{
    public const string ContentType = "application/x-msgpack";

    private const byte Nil = 0xc0;
    private const int InvocationType = 1;
    private const int CompletionType = 3;
    private const int ErrorResult = 1;

    /// <summary>Whether <paramref name="contentType"/> names the MessagePack hub protocol.</summary>
    public static bool IsMessagePack(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the invocation id of a MessagePack invocation (without length prefix, as the service forwards it);
    /// <paramref name="invocationId"/> is null for a non-blocking invocation. False when the body is no invocation.
    /// </summary>
    public static bool TryReadInvocationId(ReadOnlySpan<byte> body, out string? invocationId)
    {
        invocationId = null;
        int position = 0;
        if (!TryReadArrayLength(body, ref position, out int length) || length < 5
            || !TryReadSmallInt(body, ref position, out int type) || type != InvocationType
            || !TryReadMapLength(body, ref position, out int headers))
        {
            return false;
        }

        for (int i = 0; i < headers * 2; i++)
        {
            if (!TryReadString(body, ref position, out _))
            {
                return false;
            }
        }

        if (position < body.Length && body[position] == Nil)
        {
            return true;
        }

        if (!TryReadString(body, ref position, out string? id))
        {
            return false;
        }

        invocationId = id;
        return true;
    }

    /// <summary>A framed completion of <paramref name="invocationId"/> carrying <paramref name="error"/>.</summary>
    public static byte[] WithError(string invocationId, string error)
    {
        var message = new List<byte> { 0x95, CompletionType, 0x80 };
        WriteString(message, invocationId);
        message.Add(ErrorResult);
        WriteString(message, error);

        var framed = new List<byte>(message.Count + 5);
        // Length prefix: 7 bits a byte, least significant first, high bit set while more follow.
        for (int remaining = message.Count; ; remaining >>= 7)
        {
            framed.Add((byte)((remaining & 0x7f) | (remaining > 0x7f ? 0x80 : 0)));
            if (remaining <= 0x7f)
            {
                break;
            }
        }

        framed.AddRange(message);
        return [.. framed];
    }

    private static void WriteString(List<byte> output, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        switch (bytes.Length)
        {
            case < 32:
                output.Add((byte)(0xa0 | bytes.Length));
                break;
            case <= byte.MaxValue:
                output.Add(0xd9);
                output.Add((byte)bytes.Length);
                break;
            case <= ushort.MaxValue:
                output.Add(0xda);
                output.Add((byte)(bytes.Length >> 8));
                output.Add((byte)bytes.Length);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), "Completion texts stay under 64 KiB.");
        }

        output.AddRange(bytes);
    }

    private static bool TryReadArrayLength(ReadOnlySpan<byte> body, ref int position, out int length) =>
        TryReadLength(body, ref position, 0x90, 0xdc, 0xdd, out length);

    private static bool TryReadMapLength(ReadOnlySpan<byte> body, ref int position, out int length) =>
        TryReadLength(body, ref position, 0x80, 0xde, 0xdf, out length);

    // A fix-format (4 bits of length under prefix) or its 16/32-bit forms.
    private static bool TryReadLength(ReadOnlySpan<byte> body, ref int position, byte fixPrefix, byte sixteen, byte thirtyTwo, out int length)
    {
        length = 0;
        if (position >= body.Length)
        {
            return false;
        }

        byte marker = body[position++];
        if ((marker & 0xf0) == fixPrefix)
        {
            length = marker & 0x0f;
            return true;
        }

        if (marker == sixteen && position + 2 <= body.Length)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(body[position..]);
            position += 2;
            return true;
        }

        if (marker == thirtyTwo && position + 4 <= body.Length && BinaryPrimitives.ReadUInt32BigEndian(body[position..]) <= int.MaxValue)
        {
            length = (int)BinaryPrimitives.ReadUInt32BigEndian(body[position..]);
            position += 4;
            return true;
        }

        return false;
    }

    // The message type: a positive fixint, or uint8/int8 as some writers choose.
    private static bool TryReadSmallInt(ReadOnlySpan<byte> body, ref int position, out int value)
    {
        value = 0;
        if (position >= body.Length)
        {
            return false;
        }

        byte marker = body[position++];
        if (marker <= 0x7f)
        {
            value = marker;
            return true;
        }

        if ((marker == 0xcc || marker == 0xd0) && position < body.Length)
        {
            value = body[position++];
            return true;
        }

        return false;
    }

    private static bool TryReadString(ReadOnlySpan<byte> body, ref int position, out string? value)
    {
        value = null;
        if (position >= body.Length)
        {
            return false;
        }

        byte marker = body[position++];
        int length;
        if ((marker & 0xe0) == 0xa0)
        {
            length = marker & 0x1f;
        }
        else if (marker == 0xd9 && position < body.Length)
        {
            length = body[position++];
        }
        else if (marker == 0xda && position + 2 <= body.Length)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(body[position..]);
            position += 2;
        }
        else if (marker == 0xdb && position + 4 <= body.Length && BinaryPrimitives.ReadUInt32BigEndian(body[position..]) <= int.MaxValue)
        {
            length = (int)BinaryPrimitives.ReadUInt32BigEndian(body[position..]);
            position += 4;
        }
        else
        {
            return false;
        }

        if (length > body.Length - position)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(body.Slice(position, length));
        position += length;
        return true;
    }
}
