using System.CommandLine;
using Tessera.Cli.Commands;

namespace Tessera.Cli;

/// <summary>The commands that work on files alone, by name, in the order help lists them.</summary>
public static class FileCommands
{
    public static readonly IReadOnlyList<(string Name, Func<CliContext, Command> Create)> All =
    [
        ("index", IndexCommand.Create),
        ("calc", CalcCommand.Create),
        ("merge", MergeCommand.Create),
        ("crop", CropCommand.Create),
        ("mosaic", MosaicCommand.Create),
        ("zonal", ZonalCommand.Create),
        ("cloud-remove", CloudRemoveCommand.Create),
        ("composite", CompositeCommand.Create),
        ("pansharpen", PansharpenCommand.Create),
        ("info", InfoCommand.Create),
    ];
}
