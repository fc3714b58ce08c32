using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Processing.Clouds;
using Tessera.Processing.Fusion.Quality;

namespace Tessera.Processing.Operations;

/// <summary>
/// How processing reports are written (<see cref="OperationRun.WriteReport{T}"/>, the commands' report files):
/// camelCase names, NaN and infinities as the named literals, indented. Compiled ahead of time (no reflection).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, WriteIndented = true)]
[JsonSerializable(typeof(CloudRemovalReport))]
[JsonSerializable(typeof(FusionQualityReport))]
[JsonSerializable(typeof(FusionNotMeasured))]
public sealed partial class ReportJson : JsonSerializerContext;

/// <summary>A pan-sharpening whose quality could not be measured, and why.</summary>
public sealed record FusionNotMeasured(string Method, FusionQualityReport? Quality, string Why);
