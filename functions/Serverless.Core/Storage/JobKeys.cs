using System.Security.Cryptography;
using System.Text;

namespace Serverless.Core.Storage;

/// <summary>
/// Derives every Table key from hashes, so client text (user ids, request ids) never becomes a
/// PartitionKey or RowKey and cannot inject <c>/ \ # ?</c> or control characters.
/// </summary>
internal static class JobKeys
{
    /// <summary>The job id for an owner's request id: the same pair always gives the same id (idempotency).</summary>
    public static string JobId(string ownerId, string requestId) => "j" + Hash(ownerId + "\n" + requestId);

    /// <summary>The partition of an owner's rows in the per-user index.</summary>
    public static string OwnerKey(string ownerId) => "u" + Hash(ownerId);

    /// <summary>The partition of an Azure SignalR connection's owner record.</summary>
    public static string ConnectionKey(string connectionId) => "c" + Hash(connectionId);

    /// <summary>The RowKey of a job's event with sequence number <paramref name="seq"/>; sorts by seq.</summary>
    public static string EventRowKey(long seq) => "e" + seq.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The RowKey of the kept output of a job's stage <paramref name="stageIndex"/>; sorts after every event row.</summary>
    public static string StageOutputRowKey(int stageIndex) => "o" + stageIndex.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The RowKey of a job's state row.</summary>
    public const string StateRowKey = "state";

    /// <summary>The index RowKey: newest first, then by job id.</summary>
    public static string IndexRowKey(DateTimeOffset createdAt, string jobId) => IndexTimeKey(createdAt) + "-" + jobId;

    /// <summary>The time part of <see cref="IndexRowKey"/>: later times sort first.</summary>
    public static string IndexTimeKey(DateTimeOffset createdAt) =>
        (DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..31];
}
