using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Serverless.Core.Protocol;

namespace Serverless.LocalHost.Tests.Infrastructure;

/// <summary>A test client over a real SignalR connection: calls the hub and records pushed messages per job.</summary>
public sealed class JobClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<JobMessage> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public JobClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JobMessage>(MessageTypes.Target, message =>
        {
            _received.Enqueue(message);
            _arrived.Release();
        });
    }

    public HubConnection Connection { get; }

    public IReadOnlyList<JobMessage> Received => [.. _received];

    public Task<JobMessage> SubmitAsync(string requestId, string action, object? payload = null, string? priority = null)
    {
        var request = new JobRequest
        {
            RequestId = requestId,
            Action = action,
            Payload = payload is null ? default : JsonSerializer.SerializeToElement(payload),
            Priority = priority,
        };
        return Connection.InvokeAsync<JobMessage>("Submit", request);
    }

    public Task<JobMessage[]> ResumeAsync(string jobId, long afterSeq) =>
        Connection.InvokeAsync<JobMessage[]>("Resume", jobId, afterSeq);

    public Task<JobMessage> CancelAsync(string jobId) => Connection.InvokeAsync<JobMessage>("Cancel", jobId);

    /// <summary>The pushed messages of a job up to and including its terminal message.</summary>
    public async Task<IReadOnlyList<JobMessage>> WaitForTerminalAsync(string jobId, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            List<JobMessage> messages = [.. _received.Where(m => m.JobId == jobId)];
            if (messages.Any(m => MessageTypes.IsTerminal(m.Type)))
            {
                return messages;
            }

            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"Job {jobId} sent no terminal message within {timeout}; got: {string.Join(", ", messages.Select(m => $"{m.Type}#{m.Seq}"))}");
            }
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
