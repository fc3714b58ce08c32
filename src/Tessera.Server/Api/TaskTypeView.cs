using Tessera.Processing.Operations;

namespace Tessera.Server.Api;

/// <summary>
/// A task type as <c>GET /processtask/types</c> lists it, read from its definition: number and name, what it does, its
/// input roles (empty: any names, at least <c>MinInputs</c>, in pairs when <c>Pairs</c>), whether a missing band means
/// all bands, its output kind and default rendering, and its typed parameters.
/// </summary>
public sealed record TaskTypeView(int Type, string Name, string Title, string Description, IReadOnlyList<string> Roles,
    IReadOnlyList<TaskTypeView.RoleView> Inputs, string? InputsDescription, int MinInputs, bool AllBandsByDefault, bool WholeFiles, bool Pairs,
    string Output, OperationRendering? Rendering, IReadOnlyList<TaskTypeView.ParameterView> Params)
{
    /// <summary>An input role: its name, what it is, whether it is one band.</summary>
    public sealed record RoleView(string Name, string Description, bool OneBand);

    /// <summary>A parameter: <c>Kind</c> is how a form asks for it (number, boolean, choice, geojson, box, file, text); <c>Type</c>
    /// what the value is (number, integer, boolean, text, choice, geojson, crs, numberList, integerList, box, formula, storedFile).</summary>
    public sealed record ParameterView(string Name, string Kind, string Type, string Description, object? Default, double? Minimum,
        double? Maximum, bool MinimumExcluded, IReadOnlyList<string>? Choices, string? Unit, bool Required);

    public static TaskTypeView Of(Operation o) => new(o.Number, o.Name, o.Title, o.Description,
        o.Inputs.Roles.Select(r => r.Name).ToList(), o.Inputs.Roles.Select(r => new RoleView(r.Name, r.Description, r.OneBand)).ToList(),
        o.Inputs.Description, o.Inputs.MinInputs, o.Inputs.AllBandsByDefault, o.Inputs.WholeFiles, o.Inputs.Pairs,
        o.Output == OutputKind.Table ? "table" : "raster", o.Rendering,
        o.Parameters.Select(p => new ParameterView(p.Name, KindOf(p.Type), char.ToLowerInvariant(p.Type.ToString()[0]) + p.Type.ToString()[1..],
            p.Description, p.Default, p.Minimum, p.Maximum, p.MinimumExcluded, p.Choices, p.Unit, p.Required)).ToList());

    private static string KindOf(ParameterType type) => type switch
    {
        ParameterType.Number or ParameterType.Integer => "number",
        ParameterType.Boolean => "boolean",
        ParameterType.Choice => "choice",
        ParameterType.GeoJson => "geojson",
        ParameterType.StoredFile => "file",
        ParameterType.Box => "box",
        _ => "text",
    };
}
