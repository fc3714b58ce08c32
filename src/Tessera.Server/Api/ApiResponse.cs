namespace Tessera.Server.Api;

/// <summary>The one envelope of every successful answer: <c>{"code": 0, "message": "ok", "data": ...}</c>.</summary>
public sealed record ApiResponse<T>(int Code, string Message, T Data)
{
    public static ApiResponse<T> Ok(T data) => new(0, "ok", data);

    /// <summary>A success that says something more than "ok" (what was done instead of what was asked).</summary>
    public static ApiResponse<T> Ok(T data, string message) => new(0, message, data);
}
