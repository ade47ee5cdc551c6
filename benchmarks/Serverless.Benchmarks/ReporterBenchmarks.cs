using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Core.Progress;
using Serverless.Core.Storage;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.Benchmarks;

/// <summary>
/// <see cref="ProgressReporter.Report"/> as a handler calls it in a tight loop. Goal: ≤ 1 µs and 0 bytes per call.
/// The baseline does the least any thread-safe "remember the latest value" can: a lock and three field writes.
/// </summary>
[MemoryDiagnoser]
public class ReporterBenchmarks
{
    private readonly Lock _baselineGate = new();
    private ProgressReporter _windowed = null!;
    private ProgressReporter _held = null!;
    private double _baselinePercent;
    private string? _baselineMessage;
    private int _baselineReports;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        _windowed = Create(TimeSpan.FromMilliseconds(200));

        // A window longer than the run: measures Report() alone, without the flushes it schedules.
        _held = Create(TimeSpan.FromHours(1));
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _windowed.DisposeAsync();
        await _held.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public void LockAndStore()
    {
        lock (_baselineGate)
        {
            _baselinePercent = _i++ % 89;
            _baselineMessage ??= "working";
            _baselineReports++;
        }
    }

    [Benchmark]
    public void Report() => _held.Report(_i++ % 89);

    /// <summary>The default 200 ms window: flushes (write + push to in-memory doubles) amortized over the reports.</summary>
    [Benchmark]
    public void Report_WithFlushes() => _windowed.Report(_i++ % 89);

    private static ProgressReporter Create(TimeSpan window)
    {
        var store = new InMemoryJobStore();
        var job = new JobRecord { JobId = "bench-job", RequestId = "r1", OwnerId = "owner", Action = "simulate", Status = JobStatus.Running };
        store.CreateAsync(job, CancellationToken.None).GetAwaiter().GetResult();
        return new ProgressReporter(
            job,
            0,
            ["run"],
            store,
            new RecordingNotifier(),
            new RecordingEventSink(),
            new ProgressOptions { FlushWindow = window, ImmediateFlushPercent = 90, CancellationCheckInterval = TimeSpan.FromMinutes(1) },
            BenchmarkMetrics.Create(),
            TimeProvider.System,
            NullLogger.Instance,
            TimeProvider.System.GetUtcNow());
    }
}
