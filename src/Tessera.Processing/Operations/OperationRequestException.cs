namespace Tessera.Processing.Operations;

/// <summary>A request an operation refuses: the message names the field at fault (<c>params.scale: a number</c>,
/// <c>inputs.nir.band: ...</c>) and never a server path.</summary>
public sealed class OperationRequestException(string message) : Exception(message);
