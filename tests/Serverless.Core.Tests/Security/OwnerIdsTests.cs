using System.Security.Claims;
using Serverless.Core.Security;

namespace Serverless.Core.Tests.Security;

public sealed class OwnerIdsTests
{
    public static TheoryData<string?, string> Callers => new()
    {
        { null, "alice" },
        { "acme", "alice" },
        { null, "acme/alice" },
        { null, "acme~~alice" },
        { "acme~", "~alice" },
        { "a/b", "c" },
        { "a", "b/c" },
        { null, "." },
        { null, ".." },
        { "..", "..." },
        { null, "bob@example.com" },
        { "contoso", "Zoë 😀 %2F" },
        { null, "~7E" },
    };

    [Fact]
    public void OwnerId_SubWithSlashAndNoTenant_DiffersFromTheTenantsUser()
    {
        Assert.NotEqual(new CallerIdentity("alice", "acme").OwnerId, new CallerIdentity("acme/alice").OwnerId);
        Assert.NotEqual(new CallerIdentity("alice", "acme").OwnerId, new CallerIdentity("acme~~alice").OwnerId);
        Assert.NotEqual(new CallerIdentity("b/c", "a").OwnerId, new CallerIdentity("c", "a/b").OwnerId);
    }

    [Fact]
    public void OwnerId_PlainUserWithoutTenant_IsTheUserId()
    {
        Assert.Equal("alice-01.x_y", new CallerIdentity("alice-01.x_y").OwnerId);
        Assert.Equal("acme~~alice", new CallerIdentity("alice", "acme").OwnerId);
        Assert.Equal("acme~2Falice", new CallerIdentity("acme/alice").OwnerId);
    }

    [Fact]
    public void OwnerId_AllCallersOfTheCorpus_AreDistinct()
    {
        string[] owners = [.. Callers.Select(row => new CallerIdentity((string)row[1], (string?)row[0]).OwnerId)];

        Assert.Equal(owners.Length, owners.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public void OwnerId_IsUrlPathSafe_AndMapsBackToTheCaller(string? tenant, string user)
    {
        var caller = new CallerIdentity(user, tenant);

        string owner = caller.OwnerId;

        Assert.Matches("^[A-Za-z0-9._~-]+$", owner);
        Assert.DoesNotMatch("^\\.+$", owner);
        Assert.Equal(owner, Uri.EscapeDataString(owner));
        Assert.True(CallerIdentity.TryFromOwnerId(owner, out CallerIdentity? back));
        Assert.Equal(caller, back);
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme/alice")]
    [InlineData("acme%2Falice")]
    [InlineData("acme~2falice")]
    [InlineData("a~~b~~c")]
    [InlineData("~~alice")]
    [InlineData("acme~~")]
    [InlineData("~ZZ")]
    [InlineData("~4")]
    [InlineData("~ED~A0~80")]
    [InlineData("~41")]
    [InlineData("..")]
    [InlineData("x~0Ay")]
    public void TryFromOwnerId_TextThatIsNoCanonicalOwnerId_False(string text)
    {
        Assert.False(CallerIdentity.TryFromOwnerId(text, out _));
    }

    // Facts, not theories: theory arguments travel as UTF-8, which turns a lone surrogate into U+FFFD.
    private static readonly string[] InvalidIds = ["\ud800", "a\udc00b", "\udc00\ud800", "a\n", "a\u0000b", " ", ""];

    [Fact]
    public void IsValidId_ControlWhitespaceOrUnpairedSurrogate_False()
    {
        Assert.All(InvalidIds, id => Assert.False(CallerIdentity.IsValidId(id)));
    }

    [Fact]
    public void IsValidId_TooLong_False()
    {
        Assert.True(CallerIdentity.IsValidId(new string('a', CallerIdentity.MaxIdLength)));
        Assert.False(CallerIdentity.IsValidId(new string('a', CallerIdentity.MaxIdLength + 1)));
    }

    [Fact]
    public void FromClaims_NumericSub_NoCaller()
    {
        Assert.Null(TokenService.FromClaims([new Claim("sub", "42", ClaimValueTypes.Integer64)]));
        Assert.NotNull(TokenService.FromClaims([new Claim("sub", "42", ClaimValueTypes.String)]));
    }

    [Fact]
    public void FromClaims_UnusableTenant_NoCallerRatherThanTheTenantlessUser()
    {
        Assert.All(InvalidIds, tenant => Assert.Null(TokenService.FromClaims([new Claim("sub", "alice"), new Claim("tid", tenant)])));
        Assert.All(InvalidIds, user => Assert.Null(TokenService.FromClaims([new Claim("sub", user)])));
    }
}
