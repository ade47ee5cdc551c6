using System.Net;

namespace Serverless.Testing;

/// <summary>When a host started as a child process is ready: the app answers an anonymous <c>GET /api/jobs</c> with 401.</summary>
public static class AppReadiness
{
    /// <summary>Polls until the app answers 401; fails with the process's last output when it exits or <paramref name="timeout"/> passes.</summary>
    public static async Task WaitAnsweringAsync(Uri baseAddress, ChildProcess process, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);

        // Listening is not enough: the Functions host answers 503 on every route while it starts (or when its start
        // failed). The app, in either host, answers 401 to a call without a token.
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{process.Name} exited while starting:\n{process.RecentOutput()}");
                }

                try
                {
                    using HttpResponseMessage response = await http.GetAsync(new Uri("api/jobs", UriKind.Relative), deadline.Token).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // One poll outlived the client's timeout while the host was still starting (a busy machine): poll again.
                }

                await Task.Delay(100, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{process.Name} did not answer at {baseAddress} within {timeout.TotalSeconds:0} s:\n{process.RecentOutput()}");
        }
    }
}
