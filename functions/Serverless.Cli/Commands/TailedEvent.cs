using System.Text.Json;

namespace Serverless.Cli.Commands;

/// <summary>One event as <c>events tail --json</c> prints it: the CloudEvents JSON format, <c>data</c> inline.</summary>
internal sealed record TailedEvent(string SpecVersion, string Id, string Source, string Type, DateTimeOffset Time, string Subject, long? Seq, JsonElement Data);
