using System.CommandLine;
using Tessera.Server.Access;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera token create --role read|write|admin --user NAME</c>: a new API token, printed once.</summary>
internal static class TokenCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data")
        {
            Description = "The server's data folder; default $TESSERA_DATA or ./tessera-data",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_DATA") ?? "tessera-data",
        };
        var role = new Option<string>("--role") { Description = "read, write or admin", DefaultValueFactory = _ => "write" };
        var user = new Option<string>("--user") { Description = "Whose token: tasks and files are theirs", Required = true };
        var create = new Command("create", "Create an API token (stored hashed; the token is printed once)");
        create.Options.Add(data);
        create.Options.Add(role);
        create.Options.Add(user);
        create.SetAction(parse => Cli.Guard(context, () =>
        {
            if (!Enum.TryParse<Role>(parse.GetValue(role), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                throw new UsageException($"--role {parse.GetValue(role)}: use read, write or admin");
            }
            var folder = Path.GetFullPath(parse.GetValue(data)!);
            Directory.CreateDirectory(folder);
            try
            {
                context.Out.WriteLine(new TokenStore(folder).Create(parse.GetValue(user)!, parsed));
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--user: {e.Message}");
            }
        }));
        var command = new Command("token", "Manage API tokens");
        command.Subcommands.Add(create);
        return command;
    }
}
