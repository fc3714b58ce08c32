namespace Tessera.Processing.Operations;

/// <summary>An input an operation names: its role, what it is, and whether it is one band (the caller chooses which
/// of a multi-band file) or a whole file (all its bands unless one is chosen).</summary>
public sealed record InputRole(string Name, string Description, bool OneBand = true);

/// <summary>
/// The inputs an operation takes: fixed roles, in order; or, with no roles, any names the caller gives, at least
/// <see cref="MinInputs"/>, in the order given (in <see cref="Pairs"/>: an image, then its mask). With
/// <see cref="WholeFiles"/> no band may be chosen.
/// </summary>
public sealed record OperationInputs(IReadOnlyList<InputRole> Roles, int MinInputs = 1, bool WholeFiles = false, bool Pairs = false,
    string? Description = null, bool OneBandEach = false)
{
    public bool FreeRoles => Roles.Count == 0;

    /// <summary>Whether an input given without a band means all its bands (else the caller must choose one).</summary>
    public bool AllBandsByDefault => FreeRoles ? !OneBandEach : Roles.Any(r => !r.OneBand);

    /// <summary>Whether the input of that role is one band.</summary>
    public bool IsOneBand(string role) => FreeRoles ? OneBandEach : Roles.FirstOrDefault(r => r.Name == role)?.OneBand ?? false;

    public static OperationInputs Fixed(params InputRole[] roles) => new(roles, roles.Length);

    public static OperationInputs Any(int minInputs, string description, bool wholeFiles = false, bool pairs = false, bool oneBandEach = false) =>
        new([], minInputs, wholeFiles, pairs, description, oneBandEach);
}

/// <summary>One input of a task as an operation reads it: its role, the file (a path only this process sees), the
/// band chosen, if any, and how messages name it to the caller (never by its path).</summary>
public sealed record OperationInput(string Role, string Path, int? Band, string? Display = null)
{
    /// <summary>How a message names the input: "input 'nir' (file 12)".</summary>
    public string Shown => Display ?? $"input '{Role}'";

    /// <summary>As a band specification: the file, or FILE@N when a band was chosen.</summary>
    public string Spec => Band is { } b ? $"{Path}@{b.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : Path;
}
