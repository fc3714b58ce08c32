using System.Text.RegularExpressions;

namespace Tessera.Tasks.Workers;

/// <summary>
/// Error messages as the API's callers may see them: GDAL and the file system name files by their paths on this
/// machine, which say nothing to a caller and tell an attacker where things are. Known paths become what they
/// are (an input's role and file), and any other absolute path its last part.
/// </summary>
public static partial class ErrorText
{
    /// <param name="names">Known paths and what to call them (longest first wins).</param>
    public static string ForCaller(string message, IEnumerable<KeyValuePair<string, string>>? names = null)
    {
        foreach (var (path, display) in (names ?? []).OrderByDescending(n => n.Key.Length))
        {
            message = message.Replace(path, display, StringComparison.Ordinal);
        }
        return AbsolutePath().Replace(message, m =>
        {
            var last = m.Value.TrimEnd('/');
            return last[(last.LastIndexOf('/') + 1)..];
        });
    }

    // An absolute path of two or more parts, not inside a URL or a word.
    [GeneratedRegex(@"(?<![\w.:/~-])/(?:[^\s/'""`:,;()<>\[\]{}]+/)+[^\s/'""`:,;()<>\[\]{}]*")]
    private static partial Regex AbsolutePath();
}
