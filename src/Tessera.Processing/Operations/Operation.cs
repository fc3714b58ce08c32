using Tessera.Raster.Blocks;

namespace Tessera.Processing.Operations;

/// <summary>
/// One processing type, defined once: its number (the seed's <c>TaskType</c> values; new types get new numbers),
/// name, title, description, inputs, typed parameters, output kind and rendering, the checks that need the inputs'
/// headers, an estimate of its output's size, and how it runs. Validation, the types listing, the web page's dialog,
/// the command line's <c>submit</c>, the worker and the STAC collections all read it from here.
/// </summary>
/// <param name="number">The type number, stored with tasks and sent over the API.</param>
/// <param name="name">The seed's name (NDVI, Cloud_Remove); also the first word of a result's default file name.</param>
public abstract class Operation(int number, string name, string title, string description, OperationInputs inputs, IReadOnlyList<Parameter> parameters)
{
    public int Number { get; } = number;

    public string Name { get; } = name;

    public string Title { get; } = title;

    public string Description { get; } = description;

    public OperationInputs Inputs { get; } = inputs;

    public IReadOnlyList<Parameter> Parameters { get; } = parameters;

    public virtual OutputKind Output => OutputKind.Raster;

    /// <summary>How the result is shown by default; null: the raster's own default.</summary>
    public virtual OperationRendering? Rendering => null;

    /// <summary>Whether a run keeps a processing report beside its result (<see cref="OperationRun.WriteReport"/>).</summary>
    public virtual bool Reports => false;

    /// <summary>The result's file name in the work folder (its extension says the format).</summary>
    public virtual string OutputFile(ParameterValues parameters) => "output.tif";

    /// <summary>
    /// Checks that need the inputs' headers (band counts, grids, how parameters fit the inputs), before anything is
    /// queued; throws <see cref="OperationRequestException"/> naming the field. A <see cref="Tessera.Raster.RasterException"/>
    /// is reported as the caller's problem, with paths replaced by the inputs' names.
    /// </summary>
    public virtual void Check(IReadOnlyList<OperationInput> inputs, ParameterValues parameters)
    {
    }

    /// <summary>
    /// Checks of the parameters among themselves (one of two ways to give something), when they are read; throws
    /// <see cref="OperationRequestException"/> naming the field.
    /// </summary>
    public virtual void CheckParameters(ParameterValues parameters)
    {
    }

    /// <summary>What the caller may want to know before the result exists (inputs that look like unscaled digital numbers).</summary>
    public virtual IEnumerable<string> Warnings(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) => [];

    /// <summary>About how many bytes the result takes uncompressed, from the inputs' headers.</summary>
    public abstract long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters);

    /// <summary>
    /// The whole result's grid, from the inputs' headers, for an operation whose every pixel comes from the inputs at
    /// that place alone, so that any window of it can be computed by itself (a large task split over workers, each
    /// taking one <see cref="CommonParameters.Part"/>); null for the others.
    /// </summary>
    public virtual Raster.RasterGrid? OutputGrid(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) => null;

    /// <summary>Whether a task of this type can be computed in windows (it takes <see cref="CommonParameters.Part"/>).</summary>
    public bool Splits => Parameters.Contains(CommonParameters.Part);

    /// <summary>Computes the result into <see cref="OperationRun.Output"/> (CPU-bound; called off the async flow).</summary>
    public abstract void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>What running an operation gets: its inputs (staged where the worker chose), its parsed parameters, a
/// folder of its own for side files, where to write the result, and the stored files its parameters name
/// (<see cref="ParameterType.StoredFile"/>), staged too, by parameter name.</summary>
public sealed record OperationRun(IReadOnlyList<OperationInput> Inputs, ParameterValues Parameters, string WorkFolder, string Output,
    IReadOnlyDictionary<string, string>? Files = null)
{
    /// <summary>The processing report's file name, in the work folder and beside the published result.</summary>
    public const string ReportName = "report.json";

    /// <summary>Where a run's processing report is written (<see cref="WriteReport"/>): published beside the result.</summary>
    public string ReportPath => Path.Combine(WorkFolder, ReportName);

    /// <summary>
    /// Keeps what the processing measured (the pan-sharpening's quality, the share of cloud replaced) as the result's
    /// report: JSON beside it, shown on the task's page.
    /// </summary>
    public void WriteReport<T>(T report, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        System.IO.File.WriteAllText(ReportPath, System.Text.Json.JsonSerializer.Serialize(report, type));

    /// <summary>Where the stored file a parameter names was staged; null when the parameter was not given.</summary>
    public string? File(string parameter) => Files?.GetValueOrDefault(parameter);

    public OperationInput Input(string role) =>
        Inputs.FirstOrDefault(i => string.Equals(i.Role, role, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"input '{role}' is missing");
}
