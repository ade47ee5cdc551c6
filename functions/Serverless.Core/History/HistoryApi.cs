using System.Globalization;
using System.Text.Json;
using Azure;
using Serverless.Core.Endpoints.Http;
using Serverless.Core.Storage;
using Serverless.Protocol;

namespace Serverless.Core.History;

/// <summary>
/// <c>GET /api/stats/history?from=&amp;to=&amp;action=&amp;step=</c> for both hosts: <c>from</c> / <c>to</c> are ISO 8601
/// instants (default: the last hour up to now), at most <see cref="MaxRange"/> apart; <c>step</c> is minutes per
/// point, 1–60 (default 1); without <c>action</c> every action is summed. Bad input answers VALIDATION_ERROR;
/// storage trouble SERVICE_UNAVAILABLE.
/// </summary>
internal sealed class HistoryApi(HistoryReader reader, TimeProvider time)
{
    /// <summary>The widest range one query may ask for: 7 days.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(7);

    public async Task<ApiResponse> QueryAsync(string? from, string? to, string? action, string? step, CancellationToken cancellationToken)
    {
        try
        {
            DateTimeOffset end = to is null ? time.GetUtcNow() : Instant(to, "to");
            DateTimeOffset start = from is null ? end.AddHours(-1) : Instant(from, "from");
            if (start >= end)
            {
                throw new JobException(JobError.Validation("from must be before to."));
            }

            if (end - start > MaxRange)
            {
                throw new JobException(JobError.Validation($"One query covers at most {MaxRange.TotalDays:0} days."));
            }

            int minutes = 1;
            if (step is not null && (!int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes is < 1 or > 60))
            {
                throw new JobException(JobError.Validation("step must be a whole number of minutes from 1 to 60."));
            }

            if (action is not null)
            {
                RequestValidator.ValidateAction(action);
            }

            IReadOnlyList<HistoryPoint> points = await reader.QueryAsync(start, end, action, minutes, cancellationToken).ConfigureAwait(false);
            return new ApiResponse(200, JsonSerializer.Serialize([.. points], HistoryJson.Default.HistoryPointArray));
        }
        catch (JobException ex)
        {
            return JobApi.Error(ex.Error);
        }
        catch (Exception ex) when (StorageCall.IsOutage(ex, cancellationToken))
        {
            return JobApi.Error(JobError.Unavailable("The history store does not answer; try again shortly.") with { RetryAfterMs = 5000 });
        }
    }

    private static DateTimeOffset Instant(string text, string name) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value)
            ? value.ToUniversalTime()
            : throw new JobException(JobError.Validation($"{name} must be an ISO 8601 date and time, e.g. 2026-11-30T10:00:00Z."));
}
