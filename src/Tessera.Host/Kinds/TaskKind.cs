using System.Text.Json;
using Tessera.Tasks;

namespace Tessera.Host.Kinds;

/// <summary>A parameter of a task type: name, kind (number, text, choice or geojson), and what it does.</summary>
public sealed record ParameterView(string Name, string Kind, string Description, IReadOnlyList<string>? Choices = null);

/// <summary>
/// What a task type this server runs takes: its input roles (fixed, in order; or any names, at least
/// <see cref="MinInputs"/>, in the order given), whether a missing band means all bands, its parameters, and
/// the check of those parameters (throws <see cref="TaskRequestException"/> naming <c>params.x</c>),
/// and whether inputs are whole files (no band may be chosen).
/// </summary>
public sealed record TaskKind(
    TaskType Type,
    string Title,
    IReadOnlyList<string> Roles,
    int MinInputs,
    bool AllBandsByDefault,
    IReadOnlyList<ParameterView> Params,
    Action<JsonElement, IReadOnlyList<string>>? CheckParams = null,
    bool WholeFiles = false)
{
    public string Name => Type.SeedName();

    /// <summary>Any role names (in the order given) instead of fixed ones.</summary>
    public bool FreeRoles => Roles.Count == 0;
}
