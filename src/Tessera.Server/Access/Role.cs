namespace Tessera.Server.Access;

/// <summary>What a token may do: read (GET), write (also create, retry, cancel, delete), admin (also see and
/// manage every user's tasks and files). Each role includes the ones before it.</summary>
public enum Role
{
    Read = 1,
    Write = 2,
    Admin = 3,
}
