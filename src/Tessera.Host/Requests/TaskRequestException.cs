namespace Tessera.Host.Requests;

/// <summary>A task request with a missing or wrong field, named in the message (<c>params.scale: a number</c>): a 400 over HTTP.</summary>
public sealed class TaskRequestException(string message) : Exception(message);
