using System.Globalization;
using BenchmarkDotNet.Running;
using Serverless.Benchmarks;

// The batch fill ratio is a property of the batching, not of timing: measured once, directly.
CountingBatchSender filled = await EventPublishingBenchmarks.PublishAsync(
    EventPublishingBenchmarks.CreateEnvelopes(EventPublishingBenchmarks.EventsPerPublish), EventPublishingBenchmarks.StandardBatchBytes);
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"Event Hubs batches: {filled.Events:N0} events in {filled.Batches} batches of ≤ {EventPublishingBenchmarks.StandardBatchBytes:N0} bytes over {EventPublishingBenchmarks.Partitions} partitions; fill {filled.Fill:P1} (goal ≥ 90 %)"));

BenchmarkSwitcher.FromAssembly(typeof(ReporterBenchmarks).Assembly).Run(args);
