namespace Tessera.Tasks.Workers;

/// <summary>
/// A failure's kind for metrics and logs: the exception's type in words, without its namespace and the
/// <c>Exception</c> suffix, in snake case (<c>RasterOpenException</c>: <c>raster_open</c>; <c>HttpRequestException</c>:
/// <c>http_request</c>). A small set, as the program has few exception types, and one that says what went wrong.
/// </summary>
public static class ErrorKinds
{
    public static string Of(Exception e)
    {
        var name = (e is AggregateException { InnerExceptions: [var only] } ? only : e).GetType().Name;
        if (name.EndsWith("Exception", StringComparison.Ordinal) && name.Length > "Exception".Length)
        {
            name = name[..^"Exception".Length];
        }
        var kind = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
            {
                kind.Append('_');
            }
            kind.Append(char.ToLowerInvariant(c));
        }
        return kind.ToString();
    }
}
