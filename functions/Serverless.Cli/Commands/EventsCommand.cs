using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Messaging.EventHubs;
using Serverless.EventStream;
using Serverless.Protocol;

namespace Serverless.Cli.Commands;

/// <summary>
/// <c>events tail</c>: follows the job event stream — Event Hubs when a namespace or connection string is given,
/// else the outbox table in the storage account, so it works on the local stack without Event Hubs.
/// </summary>
internal static class EventsCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var job = new Option<string?>("--job") { Description = "Only this job's events." };
        var fromStart = new Option<bool>("--from-start") { Description = "Start from the oldest retained event instead of new ones only." };
        var count = new Option<int?>("--count") { Description = "Stop after this many events." };
        Option<string> storage = StorageConnection.CreateOption();
        var outboxTable = new Option<string>("--outbox-table")
        {
            Description = "The outbox table (EventStream:OutboxTable; default jobevents).",
            DefaultValueFactory = _ => Setting("EventStream__OutboxTable") ?? new EventStreamOptions().OutboxTable,
        };
        var eventHubsNamespace = new Option<string?>("--event-hubs-namespace")
        {
            Description = "Event Hubs namespace host, read with your Azure credentials (env EventStream__FullyQualifiedNamespace).",
            DefaultValueFactory = _ => Setting("EventStream__FullyQualifiedNamespace"),
        };
        var eventHubsConnection = new Option<string?>("--event-hubs-connection-string")
        {
            Description = "Event Hubs connection string instead of the namespace (env EventStream__ConnectionString).",
            DefaultValueFactory = _ => Setting("EventStream__ConnectionString"),
        };
        var eventHub = new Option<string?>("--event-hub")
        {
            Description = "The event hub (env EventStream__EventHubName).",
            DefaultValueFactory = _ => Setting("EventStream__EventHubName"),
        };
        var consumerGroup = new Option<string>("--consumer-group")
        {
            Description = "Consumer group to read with (env EventStream__ConsumerGroup; default $Default).",
            DefaultValueFactory = _ => Setting("EventStream__ConsumerGroup") ?? new EventStreamOptions().ConsumerGroup,
        };
        var tail = new Command("tail", "Follow job lifecycle events as they happen (Ctrl+C to stop).")
        {
            job, fromStart, count, storage, outboxTable, eventHubsNamespace, eventHubsConnection, eventHub, consumerGroup,
        };
        tail.SetCliAction(globals, console, async (context, parse, cancellationToken) =>
        {
            var options = new EventStreamOptions
            {
                OutboxTable = parse.GetValue(outboxTable)!,
                FullyQualifiedNamespace = parse.GetValue(eventHubsNamespace),
                ConnectionString = parse.GetValue(eventHubsConnection),
                EventHubName = parse.GetValue(eventHub),
                ConsumerGroup = parse.GetValue(consumerGroup)!,
            };
            var problems = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
            {
                throw new UsageException(string.Join(" ", problems.Select(p => p.ErrorMessage)));
            }

            string? jobId = parse.GetValue(job);
            try
            {
                if (jobId is not null)
                {
                    RequestValidator.ValidateJobId(jobId);
                }
            }
            catch (JobException ex)
            {
                throw new UsageException(ex.Error.Message);
            }

            int? limit = parse.GetValue(count);
            if (limit is <= 0)
            {
                throw new UsageException("--count must be 1 or more.");
            }

            IJobEventReader reader = JobEventReaders.Create(options, new TableServiceClient(parse.GetValue(storage)!), context.TimeProvider);
            return await TailAsync(context, reader, jobId, parse.GetValue(fromStart), limit, cancellationToken).ConfigureAwait(false);
        });

        return new Command("events", "The job event stream (Event Hubs, or the outbox table locally).") { tail };
    }

    private static async Task<int> TailAsync(CliContext context, IJobEventReader reader, string? jobId, bool fromStart, int? limit, CancellationToken cancellationToken)
    {
        // Delivery is at least once: the same event may come twice, so it is shown once.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int shown = 0;
        try
        {
            await foreach (JobEventEnvelope envelope in reader.ReadAsync(jobId, fromStart, cancellationToken).ConfigureAwait(false))
            {
                if (!seen.Add(envelope.Id))
                {
                    continue;
                }

                Write(context, envelope);
                if (++shown == limit)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how a tail ends.
        }
        catch (Exception ex) when (ex is RequestFailedException or EventHubsException or HttpRequestException or Azure.Identity.AuthenticationFailedException)
        {
            context.WriteError(JobError.Unavailable($"The event stream could not be read: {ex.Message}"));
            return ExitCodes.ConnectionOrAuth;
        }

        return ExitCodes.Success;
    }

    private static void Write(CliContext context, JobEventEnvelope envelope)
    {
        using JsonDocument data = JsonDocument.Parse(envelope.Data.ToMemory());
        if (context.Json)
        {
            context.WriteJson(
                new TailedEvent(envelope.SpecVersion, envelope.Id, envelope.Source, envelope.Type, envelope.Time, envelope.Subject, envelope.Seq, data.RootElement),
                CliJson.Default.TailedEvent);
            return;
        }

        JsonElement root = data.RootElement;
        string Field(string name, string format = "{0}") =>
            root.TryGetProperty(name, out JsonElement value) ? string.Format(CultureInfo.InvariantCulture, format, value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()) : string.Empty;
        string detail = string.Join(' ', new[]
        {
            Field("status"), Field("stage"), Field("percent", "{0} %"), Field("outcome"), Field("message", "\"{0}\""),
            root.TryGetProperty("error", out JsonElement error) ? error.GetProperty("code").GetString() : null,
        }.Where(part => !string.IsNullOrEmpty(part)));
        context.Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{envelope.Time.ToLocalTime():HH:mm:ss.fff}  {envelope.Subject}  {envelope.Seq?.ToString(CultureInfo.InvariantCulture) ?? "-",4}  {envelope.Type,-30}  {detail}"));
    }

    private static string? Setting(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
