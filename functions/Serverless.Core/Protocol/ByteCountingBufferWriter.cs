using System.Buffers;

namespace Serverless.Core.Protocol;

/// <summary>Counts bytes written without keeping them, to measure a JSON value's size cheaply.</summary>
internal sealed class ByteCountingBufferWriter : IBufferWriter<byte>
{
    private byte[] _scratch = new byte[1024];

    public int Count { get; private set; }

    public void Advance(int count) => Count += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => EnsureScratch(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => EnsureScratch(sizeHint);

    private byte[] EnsureScratch(int sizeHint)
    {
        if (sizeHint > _scratch.Length)
        {
            _scratch = new byte[sizeHint];
        }

        return _scratch;
    }
}
