using System.Net.Sockets;
using Azure;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.Tests.Storage;

/// <summary>Every form a storage outage takes reaches a waiting caller as SERVICE_UNAVAILABLE, and nothing else does.</summary>
public sealed class StorageCallTests
{
    public static TheoryData<Exception> Outages() =>
    [
        new RequestFailedException(503, "Service unavailable"),
        new IOException("Broken pipe"),
        new HttpRequestException("Connection refused"),
        new TimeoutException(),
        new AggregateException(new RequestFailedException("Broken pipe")),

        // How a connection that the other end drops while it is being opened surfaces: bare, not wrapped by the SDK.
        new SocketException((int)SocketError.NotConnected),
        new TaskCanceledException("The network timeout elapsed"),
    ];

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task RunAsync_Outage_ThrowsServiceUnavailableWithRetryAfter(Exception outage)
    {
        JobException thrown = await Assert.ThrowsAsync<JobException>(() => StorageCall.RunAsync(() => Task.FromException(outage), CancellationToken.None));

        Assert.Equal(ErrorCodes.ServiceUnavailable, thrown.Error.Code);
        Assert.True(thrown.Error.Retryable);
        Assert.NotNull(thrown.Error.RetryAfterMs);
        Assert.Same(outage, thrown.InnerException);
    }

    [Fact]
    public async Task RunAsync_CallerCancelled_StaysACancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => StorageCall.RunAsync(() => Task.FromException(new OperationCanceledException(cancelled.Token)), cancelled.Token));
    }

    [Fact]
    public async Task RunAsync_ABug_IsNotDisguisedAsAnOutage()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => StorageCall.RunAsync(() => Task.FromException(new InvalidOperationException("bug")), CancellationToken.None));
    }
}
