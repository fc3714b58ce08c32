using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Host.Catalog;
using Tessera.Tasks;
using Tessera.Tasks.Ingest;
using Tessera.Tasks.Stores;

namespace Tessera.Host.Radcor;

/// <summary>One task made for a scene: its id (the activity's), step and the collection it writes into.</summary>
public sealed record RadcorActivity(long Id, string Type, string Collection);

/// <summary>
/// <c>action: start</c> of the collection builder: the scenes found are put in the collection of each chain's first
/// step (a download: they are found in another catalog), and each gets one task per step, each after the step it comes
/// after (an <c>input</c> prerequisite: it runs once that one is done, and waits while it is failed, until it is
/// restarted). The dispatch is recorded as an ingestion of kind <see cref="DbIngestionStore.Radcor"/>, its tasks the
/// activities (scene, step, collection). Without <c>force</c>, a scene already in the first step's collection is not
/// dispatched again.
/// </summary>
public sealed class RadcorDispatch(ISceneCatalog catalog, ITaskStore tasks, DbIngestionStore ingestions)
{
    /// <returns>Per scene id, the tasks made for it (none when it was not dispatched again).</returns>
    /// <param name="credentials">The name under which the request's catalog credentials were kept, for its downloads; or null.</param>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<RadcorActivity>>> StartAsync(IReadOnlyList<CatalogItem> scenes,
        IReadOnlyList<RadcorStep> steps, bool force, string owner, string name, string request, string description, string? credentials,
        CancellationToken cancellationToken)
    {
        foreach (var step in steps.Where(s => s.Type != RadcorStep.Download))
        {
            throw new RadcorException($"tasks: a chain starts with a download (it puts the scenes found into its collection), not a {step.Type}");
        }
        var dispatch = await ingestions.CreateAsync(owner, name, request, cancellationToken, DbIngestionStore.Radcor);
        var made = new Dictionary<string, IReadOnlyList<RadcorActivity>>(StringComparer.Ordinal);
        foreach (var scene in scenes)
        {
            var activities = new List<RadcorActivity>();
            foreach (var root in steps)
            {
                if (!force && await catalog.GetItemAsync(root.Collection, scene.Id, null, cancellationToken) is not null)
                {
                    continue;
                }
                await EnsureCollectionAsync(catalog, root.Collection, description, null, cancellationToken);
                await catalog.UpsertItemsAsync([scene with { Collection = root.Collection, Owner = null, TaskId = null }], cancellationToken);
                foreach (var activity in await ChainAsync(root, scene, owner, root.Collection, null, cancellationToken, credentials))
                {
                    activities.Add(activity);
                    await ingestions.AddTaskAsync(dispatch, new IngestionTask(activity.Id, Tile(scene) ?? "", Day(scene), scene.Id, activity.Type,
                        activity.Collection), cancellationToken);
                }
            }
            made[scene.Id] = activities;
        }
        return made;
    }

    /// <summary>
    /// The tasks of one chain on one scene, in the order of its steps: the first reads the scene's item from
    /// <paramref name="from"/> and waits for <paramref name="first"/>; each other step reads the item the step before it
    /// wrote and waits for it (an <c>input</c> prerequisite).
    /// </summary>
    public async Task<IReadOnlyList<RadcorActivity>> ChainAsync(RadcorStep root, CatalogItem scene, string owner, string from,
        IReadOnlyList<TaskDependency>? first, CancellationToken cancellationToken, string? credentials = null)
    {
        var ids = new Dictionary<RadcorStep, long>(ReferenceEqualityComparer.Instance);
        var made = new List<RadcorActivity>();
        foreach (var (step, after) in root.Walk())
        {
            var task = await tasks.CreateAsync(Task(step, after?.Collection ?? from, scene, owner,
                after is null ? first : [new TaskDependency(ids[after], TaskDependency.Input)], credentials), cancellationToken);
            ids[step] = task.Id;
            made.Add(new RadcorActivity(task.Id, step.Type, step.Collection));
        }
        return made;
    }

    private static NewTask Task(RadcorStep step, string from, CatalogItem scene, string owner, IReadOnlyList<TaskDependency>? after, string? credentials)
    {
        var (type, parameters) = step.Type switch
        {
            RadcorStep.Download => (CatalogTaskTypes.Download,
                new DownloadParameters($"{step.Collection}/{scene.Id}", RadcorArgs.Assets(step.Args), null, null, credentials).ToJson()),
            RadcorStep.Post when RadcorArgs.PostAction(step.Args) != "crop" => (
                RadcorArgs.PostAction(step.Args) == "archive" ? CatalogTaskTypes.Archive : CatalogTaskTypes.Convert,
                new DownloadParameters($"{step.Collection}/{scene.Id}", null, null, null).ToJson()),
            _ => (step.Type switch
            {
                RadcorStep.Correction => CatalogTaskTypes.Correction,
                RadcorStep.Harmonization => CatalogTaskTypes.Harmonization,
                RadcorStep.Post => CatalogTaskTypes.PostCrop,
                _ => CatalogTaskTypes.CollectionPublish,
            }, new JsonObject { ["item"] = $"{from}/{scene.Id}", ["collection"] = step.Collection, ["args"] = step.Args.DeepClone() }),
        };
        return new NewTask($"{step.Type} {scene.Id} ({step.Collection})", type, owner, "{}", ParametersJson: parameters.ToJsonString(), After: after);
    }

    /// <summary>The collection a step writes into, made (like <paramref name="like"/> when given) when the catalog has none of that id.</summary>
    public static async Task EnsureCollectionAsync(ISceneCatalog catalog, string id, string description, string? like, CancellationToken cancellationToken)
    {
        if (await catalog.GetCollectionAsync(id, cancellationToken) is not null)
        {
            return;
        }
        var model = like is null ? null : await catalog.GetCollectionAsync(like, cancellationToken);
        await catalog.UpsertCollectionAsync(model is null
            ? new CatalogCollection(id, id, description, "proprietary", CollectionKind.Local, [], new JsonObject())
            : model with { Id = id, Title = id, Description = description, Kind = CollectionKind.Local, Source = null }, cancellationToken);
    }

    /// <summary>The scene's tile as the collection builder names it: the MGRS tile (23LLF), or the WRS-2 path and row (221069).</summary>
    public static string? Tile(CatalogItem item) => item.GridCode is { } code
        ? code.StartsWith("MGRS-", StringComparison.Ordinal) ? code[5..] : code.StartsWith("WRS2-", StringComparison.Ordinal) ? code[5..] : code
        : null;

    public static string Day(CatalogItem item) => (item.DateTime ?? item.Start).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
