namespace Tessera.Server.Api;

/// <summary>The one envelope of every successful answer: <c>{"code": 0, "message": "ok", "data": ...}</c>.</summary>
public sealed record ApiResponse<T>(int Code, string Message, T Data)
{
    public static ApiResponse<T> Ok(T data) => new(0, "ok", data);
}
