using System.Text.Json;
using Azure.Messaging.EventHubs;

namespace Serverless.EventStream;

/// <summary>
/// Job event ↔ CloudEvents envelope ↔ Event Hubs event, per the CloudEvents AMQP binding in binary content
/// mode: attributes are application properties with the <c>cloudEvents_</c> prefix (the binding's preferred
/// one), <c>datacontenttype</c> is the AMQP content-type, <c>id</c> is also the AMQP message-id, the body is the data.
/// </summary>
internal static class CloudEventMapping
{
    public const string Prefix = "cloudEvents_";
    public const string SpecVersionProperty = Prefix + "specversion";
    public const string IdProperty = Prefix + "id";
    public const string SourceProperty = Prefix + "source";
    public const string TypeProperty = Prefix + "type";
    public const string TimeProperty = Prefix + "time";
    public const string SubjectProperty = Prefix + "subject";

    /// <summary>CloudEvents partitioning extension: the job id that picks the partition.</summary>
    public const string PartitionKeyProperty = Prefix + "partitionkey";

    public const string SeqProperty = Prefix + "seq";

    public static EventData ToEventData(JobEventEnvelope envelope)
    {
        var data = new EventData(envelope.Data)
        {
            ContentType = envelope.DataContentType,
            MessageId = envelope.Id,
        };
        IDictionary<string, object> properties = data.Properties;
        properties[SpecVersionProperty] = envelope.SpecVersion;
        properties[IdProperty] = envelope.Id;
        properties[SourceProperty] = envelope.Source;
        properties[TypeProperty] = envelope.Type;
        properties[TimeProperty] = envelope.Time;
        properties[SubjectProperty] = envelope.Subject;
        properties[PartitionKeyProperty] = envelope.Subject;
        if (envelope.Seq is { } seq)
        {
            properties[SeqProperty] = seq;
        }

        return data;
    }

    /// <summary>The envelope of a received event, or null when it is not one of ours (foreign producers may share the hub).</summary>
    public static JobEventEnvelope? FromEventData(EventData data)
    {
        IDictionary<string, object> p = data.Properties;
        if (!p.TryGetValue(IdProperty, out object? id) || !p.TryGetValue(TypeProperty, out object? type)
            || !p.TryGetValue(SubjectProperty, out object? subject) || !p.TryGetValue(SourceProperty, out object? source))
        {
            return null;
        }

        return new JobEventEnvelope
        {
            SpecVersion = p.TryGetValue(SpecVersionProperty, out object? version) ? version.ToString()! : JobEventEnvelope.CurrentSpecVersion,
            Id = id.ToString()!,
            Source = source.ToString()!,
            Type = type.ToString()!,
            Subject = subject.ToString()!,
            Time = p.TryGetValue(TimeProperty, out object? time) ? ToTime(time) : data.EnqueuedTime,
            Seq = p.TryGetValue(SeqProperty, out object? seq) ? Convert.ToInt64(seq, System.Globalization.CultureInfo.InvariantCulture) : null,
            DataContentType = data.ContentType ?? JobEventEnvelope.JsonContentType,
            Data = data.EventBody,
        };
    }

    /// <summary>
    /// The partition of a job: a stable hash (FNV-1a) of its id, so one job's events always share a partition and
    /// keep their order, while many jobs' events share a batch (see docs/EVENTS.md, "Partitioning").
    /// </summary>
    public static int PartitionIndex(string jobId, int partitionCount)
    {
        uint hash = 2166136261;
        foreach (char c in jobId)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash % (uint)partitionCount);
    }

    private static DateTimeOffset ToTime(object value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        _ => DateTimeOffset.Parse(value.ToString()!, System.Globalization.CultureInfo.InvariantCulture),
    };
}
