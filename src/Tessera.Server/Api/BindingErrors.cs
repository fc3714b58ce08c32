using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Api;

/// <summary>
/// Says in the API's own words, naming the field, why a request could not be bound to an endpoint's parameters:
/// a body that is not JSON, a field of the wrong type, a missing body, a query value that is not a number, a
/// body of another media type. (The framework's own messages name CLR types and parameters.)
/// </summary>
internal static partial class BindingErrors
{
    public static string Describe(BadHttpRequestException error, HttpContext context)
    {
        if (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return BodyLimits.TooLarge(context);
        }
        if (error.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return $"send the body as application/json (it was {(string.IsNullOrEmpty(context.Request.ContentType) ? "sent without a content type" : $"'{context.Request.ContentType}'")})";
        }
        if (Inner<JsonException>(error) is { } json)
        {
            return Json(json, BodyType(context, error.Message));
        }
        if (Bind().Match(error.Message) is { Success: true } bind)
        {
            return $"{bind.Groups["name"].Value}: '{Shorten(bind.Groups["value"].Value)}' is not {Expected(bind.Groups["type"].Value.TrimEnd('?'))}";
        }
        if (error.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return "the request needs a JSON body";
        }
        if (Required().Match(error.Message) is { Success: true } required)
        {
            return required.Groups["source"].Value == "body"
                ? "the request needs a JSON body"
                : $"{required.Groups["name"].Value}: required";
        }
        if (error.InnerException is IOException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            return "the request body ended before it was complete";
        }
        return error.Message;
    }

    /// <summary>The declared type of the endpoint's parameter that the message names ("… parameter \"AddTaskRequest request\" …").</summary>
    private static Type? BodyType(HttpContext context, string message)
    {
        var named = Parameter().Match(message);
        // The exception handler runs without the route: the failed request's endpoint is kept in its feature.
        var endpoint = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var handler = endpoint?.Metadata.OfType<System.Reflection.MethodInfo>().FirstOrDefault();
        return named.Success ? handler?.GetParameters().FirstOrDefault(p => p.Name == named.Groups["name"].Value)?.ParameterType : null;
    }

    /// <summary>A JSON error naming the field: <c>type: expected a whole number</c>, or what is wrong with the text.</summary>
    /// <param name="body">The type the body binds to, when known: what a field should hold is read from it.</param>
    public static string Json(JsonException error, Type? body = null)
    {
        var field = Field(error.Path);
        var message = error.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }
        var reason = (cut >= 0 ? message[..cut] : message).TrimEnd(' ', '|');
        if (Conversion().Match(reason) is { Success: true } conversion)
        {
            var expected = body is not null && field is not null && TypeAt(body, field) is { } declared
                ? Expected(declared)
                : Expected(conversion.Groups["type"].Value);
            return $"{field ?? "body"}: expected {expected}";
        }
        var where = error.LineNumber is { } line && error.BytePositionInLine is { } position ? $" (line {line + 1}, byte {position + 1})" : string.Empty;
        return field is null ? $"the body is not valid JSON{where}: {reason}" : $"{field}: not valid JSON{where}: {reason}";
    }

    /// <summary>"$.inputs[0].fileId" → "inputs[0].fileId"; null for the whole body.</summary>
    private static string? Field(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? null : char.ToLowerInvariant(field[0]) + field[1..];
    }

    /// <summary>The declared type of the field at <paramref name="path"/> ("taskIds[1]") in <paramref name="root"/>, if it can be told.</summary>
    private static Type? TypeAt(Type root, string path)
    {
        Type? type = root;
        foreach (var part in Segments().Matches(path).Select(m => m.Value))
        {
            if (type is null)
            {
                return null;
            }
            type = Nullable.GetUnderlyingType(type) ?? type;
            type = part.StartsWith('[')
                ? type.IsArray ? type.GetElementType()
                    : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
                : type.GetProperty(part, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
        }
        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    private static string Expected(Type type) =>
        type == typeof(JsonElement) ? "any JSON value" : Expected(type.IsArray || (type != typeof(string) && type.GetInterfaces().Any(i => i.IsGenericType
            && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))) ? "List" : type.Name);

    private static string Expected(string clrType)
    {
        var type = NullableOf().Match(clrType) is { Success: true } nullable ? nullable.Groups["inner"].Value : clrType.TrimEnd('?');
        type = type[(type.LastIndexOf('.') + 1)..];
        return type switch
        {
            "Int32" or "Int64" or "Int16" or "Byte" or "UInt32" or "UInt64" or "int" or "long" => "a whole number",
            "Double" or "Single" or "Decimal" or "double" or "float" => "a number",
            "String" or "string" => "a text",
            "Boolean" or "bool" => "true or false",
            "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601, e.g. 2026-01-31T12:00:00Z)",
            _ when type.Contains("List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "a list",
            _ => "an object of the documented shape",
        };
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static T? Inner<T>(Exception error) where T : Exception
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }
        return null;
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex Bind();

    [GeneratedRegex("^Required parameter \"(?<type>\\S+) (?<name>[^\"]+)\" was not provided from (?<source>\\w+)")]
    private static partial Regex Required();

    [GeneratedRegex("^The JSON value could not be converted to (?<type>.+?)\\.?$")]
    private static partial Regex Conversion();

    [GeneratedRegex("^(?:System\\.Nullable`1\\[(?<inner>.+)\\]|Nullable<(?<inner>.+)>)$")]
    private static partial Regex NullableOf();

    [GeneratedRegex("parameter \"\\S+ (?<name>[^\"]+)\"")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\[\d+\]|[^.\[\]]+")]
    private static partial Regex Segments();
}
