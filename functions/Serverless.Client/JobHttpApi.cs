using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Serverless.Protocol;

namespace Serverless.Client;

/// <summary>The HTTP half of the protocol (<c>/api/...</c>); every failure becomes a <see cref="JobClientException"/>.</summary>
internal sealed class JobHttpApi(HttpClient http, Func<CancellationToken, ValueTask<string>>? tokenProvider)
{
    public Task<JobView> GetAsync(string jobId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/jobs/{Uri.EscapeDataString(jobId)}", ProtocolJson.Default.JobView, cancellationToken);

    public async Task<IReadOnlyList<JobMessage>> GetEventsAsync(string jobId, long afterSeq, CancellationToken cancellationToken) =>
        await SendAsync(
            HttpMethod.Get,
            $"api/jobs/{Uri.EscapeDataString(jobId)}/events?afterSeq={afterSeq.ToString(CultureInfo.InvariantCulture)}",
            ProtocolJson.Default.JobMessageArray,
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<JobView>> ListAsync(string? status, int? limit, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (status is not null)
        {
            query.Add("status=" + Uri.EscapeDataString(status));
        }

        if (limit is { } count)
        {
            query.Add("limit=" + count.ToString(CultureInfo.InvariantCulture));
        }

        string path = query.Count == 0 ? "api/jobs" : "api/jobs?" + string.Join('&', query);
        return await SendAsync(HttpMethod.Get, path, ProtocolJson.Default.JobViewArray, cancellationToken).ConfigureAwait(false);
    }

    public Task<JobMessage> OperatorCancelAsync(string jobId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/operators/jobs/{Uri.EscapeDataString(jobId)}/cancel", ProtocolJson.Default.JobMessage, cancellationToken);

    public Task<OperatorControlsView> SetIntakeAsync(string action, bool paused, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/operators/actions/{Uri.EscapeDataString(action)}/{(paused ? "pause" : "resume")}", ProtocolJson.Default.OperatorControlsView, cancellationToken);

    public Task<OperatorControlsView> SetPushCircuitAsync(PushCircuitRequest circuit, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/operators/push-circuit", ProtocolJson.Default.OperatorControlsView, cancellationToken, JsonContent.Create(circuit, ProtocolJson.Default.PushCircuitRequest));

    public Task<OperatorJobList> OperatorListAsync(OperatorJobFilter filter, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("user", filter.User);
        Add("action", filter.Action);
        Add("status", filter.Status);
        Add("from", filter.From?.ToString("O", CultureInfo.InvariantCulture));
        Add("to", filter.To?.ToString("O", CultureInfo.InvariantCulture));
        Add("limit", filter.Limit?.ToString(CultureInfo.InvariantCulture));
        string path = query.Count == 0 ? "api/operators/jobs" : "api/operators/jobs?" + string.Join('&', query);
        return SendAsync(HttpMethod.Get, path, ProtocolJson.Default.OperatorJobList, cancellationToken);
    }
    public Task<JobMessage> RetryAsOperatorAsync(string jobId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/operators/jobs/{Uri.EscapeDataString(jobId)}/retry", ProtocolJson.Default.JobMessage, cancellationToken);

    public Task<NegotiateReply> NegotiateAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/negotiate", ClientJson.Default.NegotiateReply, cancellationToken);

    public Task<DevelopmentToken> RequestDevelopmentTokenAsync(string user, string? tenant, string? role, CancellationToken cancellationToken)
    {
        string path = "api/dev/token?user=" + Uri.EscapeDataString(user)
            + (tenant is null ? string.Empty : "&tenant=" + Uri.EscapeDataString(tenant))
            + (role is null ? string.Empty : "&role=" + Uri.EscapeDataString(role));
        return SendAsync(HttpMethod.Post, path, ClientJson.Default.DevelopmentToken, cancellationToken);
    }

    /// <summary>The error of a failed response: the server's typed error when it sent one, else one made from the status.</summary>
    internal static async Task<JobError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            JobMessage? reply = await response.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage, cancellationToken).ConfigureAwait(false);
            if (reply?.Error is { } error)
            {
                return error;
            }
        }
        catch (JsonException)
        {
            // Not a protocol body (a proxy's or the framework's page): fall back to the status code.
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new JobError(ErrorCodes.Unauthorized, "The service refused the token."),
            HttpStatusCode.NotFound => new JobError(ErrorCodes.NotFound, $"{response.RequestMessage?.RequestUri?.AbsolutePath} was not found."),
            >= HttpStatusCode.InternalServerError => JobError.Unavailable($"The service answered {(int)response.StatusCode}."),
            _ => new JobError(ErrorCodes.Internal, $"The service answered {(int)response.StatusCode}."),
        };
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> replyType, CancellationToken cancellationToken, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (tokenProvider is not null)
        {
            string token = await tokenProvider(cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            throw new JobClientException(JobError.Unavailable($"{http.BaseAddress} did not answer: {ex.Message}"), ex) { IsConnectionFailure = true };
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new JobClientException(await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
            }

            try
            {
                return await response.Content.ReadFromJsonAsync(replyType, cancellationToken).ConfigureAwait(false)
                    ?? throw new JobClientException(new JobError(ErrorCodes.Internal, $"{path} answered with an empty body."));
            }
            catch (JsonException ex)
            {
                throw new JobClientException(new JobError(ErrorCodes.Internal, $"{path} answered with unexpected JSON: {ex.Message}"), ex);
            }
        }
    }

    // A timeout shows up as a cancellation the caller did not ask for.
    internal static bool IsUnreachable(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}
