namespace Tessera.Tasks.Jobs;

/// <summary>
/// An openEO secondary web service: a user's process graph (<paramref name="Process"/>, the API's JSON) published as
/// map tiles of a <paramref name="Type"/> (<see cref="Types"/>), computed lazily for the pixels each request asks for.
/// A disabled service answers no tile requests. <paramref name="Configuration"/> is a JSON object (how tiles are drawn).
/// <paramref name="UserProcesses"/> are the user-defined processes its graph calls, kept as a job keeps them (null: none).
/// </summary>
public sealed record WebService(string Id, string Owner, string Type, string? Title, string? Description, string Process, bool Enabled,
    string Configuration, string? Plan, double? Budget, string LogLevel, DateTimeOffset Created, DateTimeOffset Updated, string? UserProcesses = null)
{
    /// <summary>The service types, as stored (openEO compares them without case).</summary>
    public static readonly IReadOnlyList<string> Types = ["XYZ", "WMTS"];

    /// <summary>openEO's log levels, from the most to the least detailed.</summary>
    public static readonly IReadOnlyList<string> LogLevels = ["debug", "info", "warning", "error"];
}
