using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tessera.Tasks;

namespace Tessera.Server.Api;

/// <summary>
/// <c>Idempotency-Key</c> on <c>addTask</c>: a client that did not see the answer (a timeout, a dropped connection)
/// sends the same request with the same key again and gets the same task, not a second one. The key is kept per
/// user with a digest of the request; the same key with a different request is refused (409).
/// </summary>
internal static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    private const int MaxLength = 255;

    /// <summary>The task with the request's key and digest attached, when the request carries a key.</summary>
    public static NewTask Apply(HttpRequest request, NewTask task)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return task;
        }
        var key = values.Count == 1 ? values[0]?.Trim() : null;
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength || key.Any(c => char.IsControl(c) || c > '~'))
        {
            throw new ApiErrors.BadRequestException($"{Header}: one key of 1 to {MaxLength} printable ASCII characters");
        }
        var described = string.Join('\u001f', task.Name, (int)task.Type, task.InputsJson, task.OutputFolder, task.OutputName, task.ParametersJson);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(described)));
        return task with { IdempotencyKey = key, RequestDigest = digest };
    }
}
