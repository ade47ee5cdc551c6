using System.Diagnostics.Metrics;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Core.Diagnostics;

namespace Serverless.Core.Capacity;

/// <summary>
/// Samples the task hub's queue depths, oldest message ages and poison messages every
/// <see cref="CapacityOptions.QueueSampleInterval"/> and publishes the last sample as gauges on the host's meter
/// (<c>/api/metrics</c>, <c>/api/stats</c>, Azure Monitor). Work piling up in the control queues is what a
/// deployment out of orchestration capacity looks like; a poison message is one the backend keeps failing.
/// </summary>
internal sealed class TaskHubQueueSampler : BackgroundService
{
    private const int PeekedMessages = 32;

    private readonly TaskHubQueues _hub;
    private readonly QueueServiceClient _queues;
    private readonly CapacityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TaskHubQueueSampler> _logger;
    private volatile TaskHubQueueSample? _last;

    public TaskHubQueueSampler(
        TaskHubQueues hub, QueueServiceClient queues, IOptions<CapacityOptions> options, ServerlessMetrics metrics, TimeProvider time, ILogger<TaskHubQueueSampler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _hub = hub;
        _queues = queues;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Gauge(metrics, MetricNames.ControlQueueMessages, "{message}", "Messages in the task hub's control queues (orchestration work).", s => s.ControlQueueMessages);
        Gauge(metrics, MetricNames.ControlQueueOldestMessageAge, "s", "Age of the oldest message waiting in a control queue.", s => s.ControlQueueOldestAgeSeconds);
        Gauge(metrics, MetricNames.WorkItemQueueMessages, "{message}", "Messages in the task hub's work-item queue (activity work).", s => s.WorkItemQueueMessages);
        Gauge(metrics, MetricNames.WorkItemQueueOldestMessageAge, "s", "Age of the oldest message waiting in the work-item queue.", s => s.WorkItemQueueOldestAgeSeconds);
        Gauge(metrics, MetricNames.PoisonMessages, "{message}", "Task hub messages delivered Capacity:PoisonDequeueCount times or more.", s => s.PoisonMessages);
    }

    /// <summary>The last sample; null before the first one succeeded.</summary>
    public TaskHubQueueSample? Last => _last;

    /// <summary>Reads every queue of the hub once. A queue the backend has not created yet counts as empty.</summary>
    public async Task<TaskHubQueueSample> SampleAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        long controlMessages = 0;
        double controlAge = 0;
        int poison = 0;
        foreach (string name in _hub.ControlQueues)
        {
            QueueLook look = await LookAsync(name, now, cancellationToken).ConfigureAwait(false);
            controlMessages += look.Messages;
            controlAge = Math.Max(controlAge, look.OldestAgeSeconds);
            poison += look.Poison;
        }

        QueueLook workItems = await LookAsync(_hub.WorkItemQueue, now, cancellationToken).ConfigureAwait(false);
        var sample = new TaskHubQueueSample(now, controlMessages, controlAge, workItems.Messages, workItems.OldestAgeSeconds, poison + workItems.Poison);
        _last = sample;
        return sample;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.QueueSampleInterval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Any failure (storage away surfaces as several exception types, e.g. an AggregateException once the
                // SDK's retries run out) must not stop the host: the gauges keep the last sample; health reports storage.
                Log.SampleFailed(_logger, ex);
            }

            try
            {
                await Task.Delay(_options.QueueSampleInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<QueueLook> LookAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        QueueClient queue = _queues.GetQueueClient(name);
        try
        {
            QueueProperties properties = await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            if (properties.ApproximateMessagesCount == 0)
            {
                return new QueueLook(0, 0, 0);
            }

            PeekedMessage[] peeked = await queue.PeekMessagesAsync(PeekedMessages, cancellationToken).ConfigureAwait(false);
            DateTimeOffset? oldest = peeked.Min(m => m.InsertedOn);
            double age = oldest is { } inserted ? Math.Max(0, (now - inserted).TotalSeconds) : 0;
            int poison = peeked.Count(m => m.DequeueCount >= _options.PoisonDequeueCount);
            return new QueueLook(properties.ApproximateMessagesCount, Math.Round(age, 3), poison);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new QueueLook(0, 0, 0);
        }
    }

    private void Gauge(ServerlessMetrics metrics, string name, string unit, string description, Func<TaskHubQueueSample, double> value) =>
        metrics.Meter.CreateObservableGauge(
            name,
            () => _last is { } sample ? [new Measurement<double>(value(sample))] : Array.Empty<Measurement<double>>(),
            unit,
            description);

    private readonly record struct QueueLook(long Messages, double OldestAgeSeconds, int Poison);
}
