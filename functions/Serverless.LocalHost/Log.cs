using Microsoft.Extensions.Logging;

namespace Serverless.LocalHost;

/// <summary>
/// Every log event the local host writes, in one place so each has its own event id: a hundred per feature folder, in the
/// order below. A new event takes the next free id of its folder's range.
/// </summary>
internal static partial class Log
{
    // Storage: 100–199
    [LoggerMessage(101, LogLevel.Information, "Started Azurite (table port {TablePort}, data in {Location})")]
    public static partial void Started(ILogger logger, int tablePort, string location);

    // Security: 200–299
    [LoggerMessage(201, LogLevel.Warning, "DEVELOPMENT TOKENS ARE ON: POST /api/dev/token issues a token, operator role included, to anyone who can reach this host ({Reason}). Never run this way where others can connect.")]
    public static partial void TokensOn(ILogger logger, string reason);

    [LoggerMessage(202, LogLevel.Warning, "Auth:EnableDevelopmentTokens is set but development tokens stay off: {Reason}")]
    public static partial void TokensRefused(ILogger logger, string reason);
}
