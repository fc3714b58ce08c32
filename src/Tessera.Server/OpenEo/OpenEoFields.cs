using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.OpenEo;

/// <summary>The fields jobs and services share, read from a request's body; a wrong kind is openEO's BadRequest naming the field.</summary>
internal static class OpenEoFields
{
    public static string? Text(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"{name}: give a string or null"),
    };

    public static double? Budget(JsonObject body) => body["budget"] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var d) && d >= 0 => d,
        _ => throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "budget: give a number, 0 or more, or null"),
    };
}
