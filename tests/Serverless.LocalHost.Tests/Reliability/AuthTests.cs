using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Serverless.LocalHost.Tests.Infrastructure;
using Serverless.Protocol;
using Serverless.Testing;

namespace Serverless.LocalHost.Tests.Reliability;

[Collection(StackCollection.Name)]
public sealed class AuthTests(LocalStackFixture stack)
{
    public static TheoryData<string> BadTokens => new()
    {
        "none",
        "garbage",
        "forged",
        "expired",
        "wrong-audience",
        "wrong-issuer",
        "no-user",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task HttpApiAndNegotiate_WithBadToken_Answer401(string kind)
    {
        using var http = new HttpClient { BaseAddress = stack.Host.BaseAddress };
        if (BadToken(kind) is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage submit = await http.PostAsJsonAsync("/api/jobs", new { requestId = "auth", action = "echo" });
        HttpResponseMessage list = await http.GetAsync("/api/jobs");
        HttpResponseMessage negotiate = await http.PostAsync("/api/negotiate", null);

        Assert.Equal(HttpStatusCode.Unauthorized, submit.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        Assert.Equal(ErrorCodes.Unauthorized, (await submit.Content.ReadFromJsonAsync(ProtocolJson.Default.JobMessage))!.Error!.Code);
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task HubConnect_WithBadToken_IsRefused(string kind)
    {
        HttpRequestException refused = await Assert.ThrowsAsync<HttpRequestException>(
            () => stack.Host.ConnectAsync("anyone", token: BadToken(kind) ?? string.Empty));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task OtherUser_CannotSeeResumeOrCancel_AndGetsTheSameAnswerAsForAnUnknownJob()
    {
        await using HubClient owner = await stack.Host.ConnectAsync("alice-auth");
        await using HubClient intruder = await stack.Host.ConnectAsync("mallory-auth");
        JobMessage accepted = await owner.SubmitAsync("private-1", "simulate", new { durationMs = 5000, updates = 10 });
        const string unknown = "j0000000000000000000000000000000";

        JobMessage[] resumeForeign = await intruder.ResumeAsync(accepted.JobId!, 0);
        JobMessage[] resumeUnknown = await intruder.ResumeAsync(unknown, 0);
        JobMessage cancelForeign = await intruder.CancelAsync(accepted.JobId!);
        JobMessage cancelUnknown = await intruder.CancelAsync(unknown);

        Assert.Equal(ErrorCodes.NotFound, Assert.Single(resumeForeign).Error!.Code);
        Assert.Equal(resumeUnknown.Single().Error, resumeForeign.Single().Error);
        Assert.Equal(ErrorCodes.NotFound, cancelForeign.Error!.Code);
        Assert.Equal(cancelUnknown.Error, cancelForeign.Error);
        Assert.DoesNotContain(intruder.Received, m => m.JobId == accepted.JobId);
        await owner.CancelAsync(accepted.JobId!);
    }

    [Fact]
    public async Task SameUserIdInAnotherTenant_IsAnotherOwner()
    {
        await using HubClient tenantA = await stack.Host.ConnectAsync("bob", stack.Host.TokenFor("bob", "tenant-a"));
        await using HubClient tenantB = await stack.Host.ConnectAsync("bob", stack.Host.TokenFor("bob", "tenant-b"));
        JobMessage accepted = await tenantA.SubmitAsync("tenant-1", "simulate", new { durationMs = 100, updates = 1 });
        JobMessage sameRequestOtherTenant = await tenantB.SubmitAsync("tenant-1", "simulate", new { durationMs = 100, updates = 1 });

        JobMessage[] seenFromB = await tenantB.ResumeAsync(accepted.JobId!, 0);

        Assert.NotEqual(accepted.JobId, sameRequestOtherTenant.JobId);
        Assert.Null(sameRequestOtherTenant.Duplicate);
        Assert.Equal(ErrorCodes.NotFound, Assert.Single(seenFromB).Error!.Code);
    }

    private static string? BadToken(string kind)
    {
        var handler = new JsonWebTokenHandler();
        var goodKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(LocalHostInstance.SigningKey));
        var otherKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("an-attackers-signing-key-0123456789abcdef"));
        DateTime now = DateTime.UtcNow;
        string Create(SecurityKey key, string issuer, string audience, DateTime notBefore, DateTime expires, bool withUser = true) =>
            handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = audience,
                Claims = withUser ? new Dictionary<string, object> { ["sub"] = "eve" } : new Dictionary<string, object> { ["role"] = "x" },
                NotBefore = notBefore,
                IssuedAt = notBefore,
                Expires = expires,
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            });

        return kind switch
        {
            "none" => null,
            "garbage" => "not.a.token",
            "forged" => Create(otherKey, "serverless-dev", "serverless", now, now.AddHours(1)),
            "expired" => Create(goodKey, "serverless-dev", "serverless", now.AddHours(-2), now.AddMinutes(-5)),
            "wrong-audience" => Create(goodKey, "serverless-dev", "someone-else", now, now.AddHours(1)),
            "wrong-issuer" => Create(goodKey, "evil-issuer", "serverless", now, now.AddHours(1)),
            "no-user" => Create(goodKey, "serverless-dev", "serverless", now, now.AddHours(1), withUser: false),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }
}
