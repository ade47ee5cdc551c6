using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Serverless.Core.Operators;

namespace Serverless.LocalHost.Hubs;

/// <summary>
/// The operators' feed (<see cref="OperatorFeed"/>): receive-only; every connection gets every job message of
/// every user on <see cref="OperatorFeed.Target"/>. Only callers with operator access may connect.
/// </summary>
[Authorize(Policy = HubServiceCollectionExtensions.OperatorPolicy)]
internal sealed class OperatorHub : Hub;
