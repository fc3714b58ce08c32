using System.CommandLine;
using System.Globalization;
using Tessera.Server.Access;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera token create --role read|write|admin --user NAME [--expires 30d|2027-06-30]</c>: a new API token,
/// printed once; <c>tessera token list</c>: every token's id, owner, role and times, never a secret;
/// <c>tessera token revoke ID</c>. A running server sees each change on its next request.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("token", "Manage API tokens");
        command.Subcommands.Add(CreateCommand(context));
        command.Subcommands.Add(ListCommand(context));
        command.Subcommands.Add(RevokeCommand(context));
        return command;
    }

    private static Option<string> DataOption() => new("--data")
    {
        Description = "The server's data folder; default $TESSERA_DATA or ./tessera-data",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_DATA") ?? "tessera-data",
    };

    private static Command CreateCommand(CliContext context)
    {
        var data = DataOption();
        var role = new Option<string>("--role") { Description = "read, write or admin", DefaultValueFactory = _ => "write" };
        var user = new Option<string>("--user") { Description = "Whose token: tasks and files are theirs", Required = true };
        var expires = new Option<string?>("--expires")
        {
            Description = "When it stops being accepted: a time from now (90m, 12h, 30d) or a UTC date or time (2027-06-30, 2027-06-30T12:00:00Z); default never",
        };
        var create = new Command("create", "Create an API token (stored hashed; the token is printed once, its id on standard error)");
        create.Options.Add(data);
        create.Options.Add(role);
        create.Options.Add(user);
        create.Options.Add(expires);
        create.SetAction(parse => Cli.Guard(context, () =>
        {
            if (!Enum.TryParse<Role>(parse.GetValue(role), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                throw new UsageException($"--role {parse.GetValue(role)}: use read, write or admin");
            }
            var end = parse.GetValue(expires) is { } text ? Expiry(text, DateTimeOffset.UtcNow) : (DateTimeOffset?)null;
            if (end <= DateTimeOffset.UtcNow)
            {
                throw new UsageException($"--expires {parse.GetValue(expires)}: that time is already past");
            }
            var folder = Path.GetFullPath(parse.GetValue(data)!);
            Directory.CreateDirectory(folder);
            (string Secret, string Id) made;
            try
            {
                made = new TokenStore(folder).CreateWithId(parse.GetValue(user)!, parsed, end);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--user: {e.Message}");
            }
            context.Out.WriteLine(made.Secret);
            context.Note($"token {made.Id} ({parsed.ToString().ToLowerInvariant()}, {parse.GetValue(user)!.Trim()}){(end is { } until ? $", expires {until.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z" : "")}");
        }));
        return create;
    }

    private static Command ListCommand(CliContext context)
    {
        var data = DataOption();
        var list = new Command("list", "List the API tokens: id, user, role, created, expires, state (never their secrets)");
        list.Options.Add(data);
        list.SetAction(parse => Cli.Guard(context, () =>
        {
            var now = DateTimeOffset.UtcNow;
            var tokens = new TokenStore(Path.GetFullPath(parse.GetValue(data)!)).List();
            context.Out.WriteLine($"{"ID",-12}  {"USER",-20}  {"ROLE",-5}  {"CREATED",-20}  {"EXPIRES",-20}  STATE");
            foreach (var token in tokens)
            {
                var expired = token.ExpiresAt <= now;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{token.Id,-12}  {token.User,-20}  {token.Role.ToString().ToLowerInvariant(),-5}  {token.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}  {(token.ExpiresAt is { } end ? end.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "never"),-20}  {(expired ? "expired" : "active")}"));
            }
        }));
        return list;
    }

    private static Command RevokeCommand(CliContext context)
    {
        var data = DataOption();
        var id = new Argument<string>("id") { Description = "The token's id, as token list shows it" };
        var revoke = new Command("revoke", "Revoke an API token by its id: a running server refuses it from its next request");
        revoke.Options.Add(data);
        revoke.Arguments.Add(id);
        revoke.SetAction(parse => Cli.Guard(context, () =>
        {
            var folder = Path.GetFullPath(parse.GetValue(data)!);
            if (!new TokenStore(folder).Revoke(parse.GetValue(id)!))
            {
                throw new UsageException($"no token {parse.GetValue(id)} (tessera token list shows them)");
            }
            context.Note($"token {parse.GetValue(id)} revoked");
        }));
        return revoke;
    }

    /// <summary>An expiry as given: a time from now (<c>90m</c>, <c>12h</c>, <c>30d</c>, <c>2w</c>) or a UTC date or date and time.</summary>
    internal static DateTimeOffset Expiry(string text, DateTimeOffset now)
    {
        var value = text.Trim();
        if (value.Length >= 2 && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            TimeSpan? span = char.ToLowerInvariant(value[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                'w' => TimeSpan.FromDays(7 * amount),
                _ => null,
            };
            if (span is { } s)
            {
                return now + s;
            }
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }
        throw new UsageException($"--expires {text}: give a time from now (90m, 12h, 30d, 2w) or a UTC date or time (2027-06-30, 2027-06-30T12:00:00Z)");
    }
}
