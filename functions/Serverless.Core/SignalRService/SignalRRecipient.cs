namespace Serverless.Core.SignalRService;

/// <summary>Whom a data-plane send addresses: every connection of a user, one connection, or a group.</summary>
internal enum SignalRRecipient
{
    User,
    Connection,
    Group,
}
