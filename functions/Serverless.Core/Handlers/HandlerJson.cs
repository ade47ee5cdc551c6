using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Core.Handlers;

/// <summary>Source-generated serialization for the built-in handlers' data.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Dictionary<string, string>), TypeInfoPropertyName = "DictionaryStringString")]
[JsonSerializable(typeof(SimulateResult))]
[JsonSerializable(typeof(SalesRow[]))]
[JsonSerializable(typeof(ReportAnalysis))]
[JsonSerializable(typeof(RenderedReport))]
[JsonSerializable(typeof(Report))]
[JsonSerializable(typeof(ReviewRecord[]))]
[JsonSerializable(typeof(ValidatedReviews))]
[JsonSerializable(typeof(TransformedReviews))]
[JsonSerializable(typeof(ReviewAggregates))]
[JsonSerializable(typeof(ProcessDataResult))]
[JsonSerializable(typeof(BatchProgress))]
[JsonSerializable(typeof(CollectProgress))]
[JsonSerializable(typeof(SimulateProgress))]
internal sealed partial class HandlerJson : JsonSerializerContext;
