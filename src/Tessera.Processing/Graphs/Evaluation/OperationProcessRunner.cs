using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Processing.Graphs.Descriptions;
using Tessera.Processing.Operations;
using Tessera.Raster;
using Tessera.Raster.Alignment;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// Runs Tessera's operations as processes of namespace <c>tessera</c> (described by <see cref="OperationProcesses"/>):
/// each input cube is written to a GeoTIFF of its own (<see cref="CubeWriter"/>, Float32, NaN as nodata) in the
/// evaluator's work folder, the operation runs on those files with the parameters the node gives (checked as a task's
/// are), and its result comes back as a cube reading the output file: on the output's grid, one band label per output
/// band (the band's description, else <c>band1</c>, <c>band2</c>, ...), the inputs' common names kept for labels they
/// share, and the inputs' time when they all had the same one (else no <c>t</c> dimension).
/// <para>
/// Unlike the cube processes this computes when the node is evaluated, not when the result is written: the
/// operation needs its inputs as files (a batch job's download stage stops at the first one:
/// <see cref="GraphEvaluator.DeferOperations"/>). What is refused, before anything is written: an input cube with several times,
/// except by an operation that takes any number of whole images (a mosaic), which takes each time as an image of its
/// own, in time order; a cube of several bands for an input of one band (<c>filter_bands</c> first); an operation whose
/// result is a table (zonal statistics), which a data cube cannot hold (<see cref="Runs"/> says no).
/// The inputs of an operation without fixed roles are an object of cubes by name (<c>"data": {"a": ..., "b": ...}</c>,
/// in order), or one cube, whose name is then <c>data</c>.
/// </para>
/// </summary>
public static class OperationProcessRunner
{
    /// <summary>Whether the process of that id in namespace <c>tessera</c> runs here (its operation gives a raster).</summary>
    public static bool Runs(string id) => OperationProcesses.OperationOf(id) is { Output: OutputKind.Raster };

    /// <summary>Why the process of that id in namespace <c>tessera</c> does not run here, or null when it does or is unknown.</summary>
    public static string? WhyNot(string id) => OperationProcesses.OperationOf(id) is { Output: not OutputKind.Raster } operation
        ? $"{operation.Name} gives a table, which a data cube cannot hold; run it as a task instead"
        : null;

    /// <param name="budget">What the inputs may take of the graph's budget (null: no limit), spent before anything is written.</param>
    public static async Task<DataCube> RunAsync(ProcessNode node, Arguments a, string workFolder, PixelBudget? budget, CancellationToken cancellationToken)
    {
        var operation = OperationProcesses.OperationOf(node.ProcessId) is { } found && Runs(node.ProcessId) ? found
            : throw new GraphException("ProcessUnsupported", WhyNot(node.ProcessId) ?? $"'{node.ProcessId}' is not a process of namespace 'tessera'", node.Id);
        var cubes = InputsOf(operation, a);
        var parameters = ParametersOf(operation, a);
        budget?.Spend(cubes.Sum(c => CubeWriter.Estimate(new SavedResult(c.Cube, "GTiff", [])).BandPixels), node.Id);
        var folder = Directory.CreateDirectory(Path.Combine(workFolder, $"operation-{Guid.NewGuid():N}")).FullName; // node ids are any text: not in paths
        var inputs = new List<OperationInput>(cubes.Count);
        await Task.Run(() =>
        {
            foreach (var (role, argument, cube, oneBand) in cubes)
            {
                var path = Path.Combine(folder, $"input-{inputs.Count + 1}.tif");
                CubeWriter.Write(new SavedResult(cube, "GTiff", new JsonObject { ["compress"] = "none" }), path, node.Id, null, cancellationToken);
                inputs.Add(new OperationInput(role, path, oneBand ? 1 : null, $"argument '{argument}'"));
            }
        }, cancellationToken);
        try
        {
            operation.Check(inputs, parameters);
        }
        catch (OperationRequestException e)
        {
            throw Refusal(e, node.Id);
        }
        var output = Path.Combine(folder, operation.OutputFile(parameters));
        await Task.Run(() => operation.Run(new OperationRun(inputs, parameters, folder, output), null, cancellationToken), cancellationToken);
        return CubeOf(output, cubes.Select(c => c.Cube).ToList());
    }

    /// <summary>The input cubes by role (fixed roles, in order; else the names given), each with whether it must be one band.</summary>
    private static List<(string Role, string Argument, DataCube Cube, bool OneBand)> InputsOf(Operation operation, Arguments a)
    {
        var inputs = new List<(string, string, DataCube, bool)>();
        if (!operation.Inputs.FreeRoles)
        {
            foreach (var role in operation.Inputs.Roles)
            {
                inputs.Add((role.Name, role.Name, OneTime(a.Cube(role.Name), a, role.Name), role.OneBand));
            }
        }
        else
        {
            // A mosaic's images are a series: a cube's times are images of their own; elsewhere an input is one raster.
            var series = operation.Inputs.WholeFiles && !operation.Inputs.Pairs;
            var named = a.Required(OperationProcesses.NamedInputs) switch
            {
                DataCube cube => [KeyValuePair.Create(OperationProcesses.NamedInputs, cube)],
                IReadOnlyDictionary<string, object?> d => d.Select(p => KeyValuePair.Create(p.Key, p.Value as DataCube
                    ?? throw new GraphException("ProcessArgumentInvalid", "give a data cube", a.Node, $"{OperationProcesses.NamedInputs}.{p.Key}"))).ToList(),
                _ => throw new GraphException("ProcessArgumentInvalid", "give an object of data cubes by name (or one data cube)", a.Node,
                    OperationProcesses.NamedInputs),
            };
            foreach (var (name, cube) in named)
            {
                var argument = named.Count == 1 && name == OperationProcesses.NamedInputs ? name : $"{OperationProcesses.NamedInputs}.{name}";
                if (series && cube.TimeCount > 1)
                {
                    for (var t = 0; t < cube.TimeCount; t++)
                    {
                        inputs.Add(($"{name}_{t + 1}", argument, AtTime(cube, t), operation.Inputs.OneBandEach));
                    }
                }
                else
                {
                    inputs.Add((name, argument, OneTime(cube, a, argument), operation.Inputs.OneBandEach || (operation.Inputs.Pairs && inputs.Count % 2 == 1)));
                }
            }
            if (inputs.Count < operation.Inputs.MinInputs)
            {
                throw new GraphException("ProcessArgumentInvalid",
                    $"{operation.Name} takes at least {operation.Inputs.MinInputs} images; {inputs.Count} given", a.Node, OperationProcesses.NamedInputs);
            }
        }
        foreach (var (_, argument, cube, oneBand) in inputs)
        {
            if (oneBand && cube.BandCount != 1)
            {
                throw new GraphException("ProcessArgumentInvalid",
                    $"the input is one band, the cube has {cube.BandCount} ({string.Join(", ", cube.Bands ?? [])}): choose one with filter_bands", a.Node, argument);
            }
        }
        return inputs;
    }

    private static DataCube OneTime(DataCube cube, Arguments a, string argument) => cube.TimeCount <= 1 ? cube
        : throw new GraphException("DataCubeDimensionsUnsupported",
            $"the cube has {cube.TimeCount} times; the operation takes one raster here: reduce the dimension t first (reduce_dimension) or keep one date (filter_temporal)",
            a.Node, argument);

    /// <summary>The cube at one of its times (that time its only label of <c>t</c>).</summary>
    private static DataCube AtTime(DataCube cube, int t) => cube with
    {
        Times = [cube.Times![t]],
        Values = Enumerable.Range(0, cube.BandCount).Select(b => cube.Value(t, b)).ToList(),
    };

    /// <summary>The operation's parameters as a task gives them, from the node's arguments (null: left out).</summary>
    private static ParameterValues ParametersOf(Operation operation, Arguments a)
    {
        var given = new JsonObject();
        foreach (var parameter in operation.Parameters)
        {
            switch (a.Optional(parameter.Name))
            {
                case null:
                    break;
                case JsonNode value:
                    given[parameter.Name] = value.DeepClone();
                    break;
                default:
                    throw new GraphException("ProcessArgumentInvalid", "give a value written in the graph", a.Node, parameter.Name);
            }
        }
        try
        {
            return ParameterValues.Parse(given.ToJsonString(), operation);
        }
        catch (OperationRequestException e)
        {
            throw Refusal(e, a.Node);
        }
    }

    /// <summary>An operation's refusal (<c>params.NAME: why</c>) as the node's argument's.</summary>
    private static GraphException Refusal(OperationRequestException e, string node)
    {
        const string Prefix = "params.";
        var message = e.Message;
        if (message.StartsWith(Prefix, StringComparison.Ordinal) && message.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0)
        {
            return new GraphException("ProcessArgumentInvalid", message[(colon + 2)..], node, message[Prefix.Length..colon]);
        }
        return new GraphException("ProcessArgumentInvalid", message, node);
    }

    /// <summary>The operation's output as a cube (see the class).</summary>
    private static DataCube CubeOf(string output, IReadOnlyList<DataCube> inputs)
    {
        using var ds = RasterDataset.Open(output);
        var descriptions = Enumerable.Range(1, ds.BandCount).Select(b => ds.Band(b).Description.Trim()).ToList();
        var labels = descriptions.All(d => d.Length > 0) && descriptions.Distinct(StringComparer.Ordinal).Count() == descriptions.Count
            ? descriptions
            : Enumerable.Range(1, ds.BandCount).Select(b => "band" + b.ToString(CultureInfo.InvariantCulture)).ToList();
        var sources = labels.Select((label, i) => new BandSource(label, output, i + 1)).ToList();
        var common = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (label, name) in inputs.SelectMany(c => c.CommonNames))
        {
            if (labels.Contains(label))
            {
                common.TryAdd(label, name);
            }
        }
        var times = inputs.Select(c => c.Times is { Count: 1 } one ? one[0] : null).Distinct().ToList();
        return new DataCube(ds.Grid, times is [{ } time] ? [time] : null, labels, labels.Select((_, i) => (PixelExpr)new Leaf(i)).ToList(), sources, common);
    }
}

/// <summary>
/// Thrown by an evaluator that defers Tessera's operations (<see cref="GraphEvaluator.DeferOperations"/>) when it
/// reaches one: the nodes it depends on were evaluated (their scenes are on this machine), the operation did not run.
/// </summary>
public sealed class OperationDeferredException(string node) : Exception($"node '{node}': Tessera's operations run when the result is written")
{
    public string Node { get; } = node;
}
