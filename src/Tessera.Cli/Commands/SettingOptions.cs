using System.CommandLine;
using Tessera.Host.Configuration;

namespace Tessera.Cli.Commands;

/// <summary>
/// The service's settings as command-line flags of one command (each also a <c>TESSERA_*</c> variable and a key of the
/// settings file; see <see cref="Settings"/>), plus <c>--config FILE</c>; reads what was given into <see cref="Settings"/>.
/// </summary>
internal sealed class SettingOptions
{
    private readonly List<(ISetting Setting, Option<string?> Option)> _options = [];
    private readonly Option<string?> _config = new("--config") { Description = "Settings file (JSON); default $TESSERA_CONFIG, else ./tessera.json when there is one" };

    public SettingOptions(Command command, params ISetting[] settings)
    {
        command.Options.Add(_config);
        foreach (var setting in settings)
        {
            var names = setting.Flag == "--db" ? new[] { "--db", "--database" } : [setting.Flag];
            var option = new Option<string?>(names[0], names[1..])
            {
                Description = $"{char.ToUpperInvariant(setting.Description[0])}{setting.Description[1..]}; {setting.Allowed} (also ${setting.Environment}, \"{setting.Key}\" in the settings file)",
            };
            command.Options.Add(option);
            _options.Add((setting, option));
        }
    }

    /// <summary>The settings from what <paramref name="parse"/> was given, the environment and the settings file.</summary>
    public Settings Read(ParseResult parse, Func<string, string?> environment)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (setting, option) in _options)
        {
            if (parse.GetValue(option) is { } value)
            {
                flags[setting.Flag] = value;
            }
        }
        if (parse.GetValue(_config) is { } config)
        {
            flags["--config"] = config;
        }
        return Settings.Load(flags, environment);
    }
}
