using System.Text.Json;
using Serverless.Core.Endpoints.Http;
using Serverless.Protocol;

namespace Serverless.Core.Security;

/// <summary>
/// <c>POST /api/dev/token?user=&amp;tenant=&amp;role=</c> in both hosts: a token for any valid user id, when the host's
/// <see cref="DevelopmentTokenPolicy"/> allows it (404 otherwise, as if the route did not exist).
/// </summary>
internal sealed class DevelopmentTokenIssuer(TokenService tokens)
{
    public ApiResponse Issue(bool allowed, string? user, string? tenant, string? role)
    {
        if (!allowed)
        {
            return JobApi.Error(new JobError(ErrorCodes.NotFound, "This host issues no development tokens."));
        }

        if (!CallerIdentity.IsValidId(user))
        {
            return JobApi.Error(JobError.Validation(
                $"user must be 1–{CallerIdentity.MaxIdLength} characters, not all white space, without control characters or unpaired surrogates."));
        }

        tenant = string.IsNullOrEmpty(tenant) ? null : tenant;
        if (tenant is not null && !CallerIdentity.IsValidId(tenant))
        {
            return JobApi.Error(JobError.Validation(
                $"tenant must be absent or 1–{CallerIdentity.MaxIdLength} characters, not all white space, without control characters or unpaired surrogates."));
        }

        if (role is not null && role != OperatorAccess.OperatorRole)
        {
            return JobApi.Error(JobError.Validation($"role must be absent or '{OperatorAccess.OperatorRole}'."));
        }

        string token = tokens.Issue(user, tenant, role is null ? null : [role]);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("token", token);
            writer.WriteString("user", user);
            WriteOptional(writer, "tenant", tenant);
            WriteOptional(writer, "role", role);
            writer.WriteEndObject();
        }

        return new ApiResponse(200, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
