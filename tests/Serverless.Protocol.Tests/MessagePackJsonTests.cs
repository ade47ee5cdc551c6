using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;
using Serverless.Protocol.MessagePack;

namespace Serverless.Protocol.Tests;

public sealed class MessagePackJsonTests
{
    private static readonly MessagePackSerializerOptions Options = ProtocolMessagePack.SerializerOptions;

    [Fact]
    public void Serialize_JobMessage_IsItsJsonDocumentAsMessagePack()
    {
        JobMessage message = JobMessage.SyncResult("r1", JsonDocument.Parse("""{"n":-3,"big":18446744073709551615,"pi":3.25,"ok":true,"none":null,"list":["a",{"b":[]}]}""").RootElement);

        byte[] bytes = MessagePackSerializer.Serialize(message, Options);

        // MessagePack-CSharp's own converter reads the bytes back as JSON: the same document the JSON protocol sends.
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(JsonSerializer.Serialize(message, ProtocolJson.Default.JobMessage)),
            JsonNode.Parse(MessagePackSerializer.ConvertToJson(bytes))));
    }

    [Fact]
    public void Deserialize_Request_ReadAsTheJsonProtocolReadsIt()
    {
        byte[] bytes = Write((ref MessagePackWriter writer) =>
        {
            writer.WriteMapHeader(3);
            writer.Write("requestId");
            writer.Write("r-7");
            writer.Write("action");
            writer.Write("echo");
            writer.Write("payload");
            writer.WriteArrayHeader(2);
            writer.Write(ulong.MaxValue);
            writer.Write(long.MinValue);
        });

        JobRequest request = MessagePackSerializer.Deserialize<JobRequest>(bytes, Options);

        Assert.Equal("r-7", request.RequestId);
        Assert.Equal("echo", request.Action);
        Assert.Equal("[18446744073709551615,-9223372036854775808]", request.Payload.GetRawText());
    }

    [Fact]
    public void Deserialize_TimestampAndBinary_IsoTextAndBase64()
    {
        var at = new DateTime(2026, 11, 30, 1, 2, 3, 456, DateTimeKind.Utc);
        byte[] bytes = Write((ref MessagePackWriter writer) =>
        {
            writer.WriteMapHeader(2);
            writer.Write("at");
            writer.Write(at);
            writer.Write("blob");
            writer.Write([1, 2, 3]);
        });

        JsonElement element = MessagePackSerializer.Deserialize<JsonElement>(bytes, Options);

        Assert.Equal(at, element.GetProperty("at").GetDateTime().ToUniversalTime());
        Assert.Equal("AQID", element.GetProperty("blob").GetString());
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 0x01, 0x02 })] // a map key that is no string
    [InlineData(new byte[] { 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0 })] // NaN
    [InlineData(new byte[] { 0xd4, 0x05, 0x00 })] // an extension type other than a timestamp
    [InlineData(new byte[] { 0x92, 0x01 })] // an array shorter than it says
    public void Read_NoJsonForm_SerializationException(byte[] bytes)
    {
        Assert.Throws<MessagePackSerializationException>(() => Read(bytes));
    }

    [Fact]
    public void Read_DeeperThanTheUntrustedDataLimit_SerializationException()
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0x91, 1000), 0xc0];

        Assert.Throws<MessagePackSerializationException>(() => Read(bytes));
    }

    private static JsonElement Read(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        return MessagePackJson.Read(ref reader, Options);
    }

    private delegate void Writing(ref MessagePackWriter writer);

    private static byte[] Write(Writing write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
