namespace Tessera.Tasks.Workers;

/// <summary>
/// What a worker runs for the task types it handles: the three stages of the seed's flow. A stage that
/// throws fails the task in that stage, with the exception's message as the task's errorMessage.
/// </summary>
public interface ITaskHandler
{
    IReadOnlyCollection<TaskType> Types { get; }

    /// <summary>DOWNLOADING: stage the inputs into <see cref="TaskContext.WorkFolder"/>.</summary>
    Task DownloadAsync(TaskContext context, CancellationToken cancellationToken);

    /// <summary>PROCESSING: run the algorithm on the staged inputs, writing the result in the work folder.</summary>
    Task ProcessAsync(TaskContext context, CancellationToken cancellationToken);

    /// <summary>PUBLISHING: register the result where users find it, invisible until the task's publish commits
    /// (pending under <see cref="TaskContext.AttemptToken"/>); what it returns is stored with the task by the same
    /// transaction that completes it and makes the result visible.</summary>
    Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Undoes a publish whose result could not be recorded (the worker lost the task meanwhile, and the
    /// task will run again elsewhere): removes what <see cref="PublishAsync"/> registered.
    /// </summary>
    Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken);
}

/// <summary>What a stage gets: the task, a folder of its own attempt (created on first use: a task that needs no
/// files costs no file-system work; an attempt that publishes only gets the folder of the attempt that computed the
/// result), a way to report progress (stored with the task, at most a few times a second), and the token of this
/// attempt's lease (what a published result is registered under until the task's publish commits).</summary>
public sealed class TaskContext(ProcessingTask task, string workFolder, IProgress<TaskProgress> progress, Guid attemptToken,
    Func<string, string, Task>? log = null)
{
    /// <summary>Adds a line to the task's log, which its page shows ("2 inputs staged, 4.5 MB"); never fails the task.</summary>
    public Task LogAsync(string message, string level = "info") => log?.Invoke(level, message) ?? System.Threading.Tasks.Task.CompletedTask;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _names = new();
    private volatile bool _created;

    public ProcessingTask Task { get; } = task;

    /// <summary>The attempt's work folder; it exists once this has been read.</summary>
    public string WorkFolder
    {
        get
        {
            if (!_created)
            {
                for (var tries = 1; ; tries++)
                {
                    try
                    {
                        Directory.CreateDirectory(workFolder);
                        break;
                    }
                    catch (DirectoryNotFoundException) when (tries < 5)
                    {
                        // The sweeper removed the task's folder, empty, between its creation and the attempt's: again.
                    }
                }
                _created = true;
            }
            return workFolder;
        }
    }

    public IProgress<TaskProgress> Progress { get; } = progress;

    /// <summary>The work folder's path, without creating it.</summary>
    internal string Folder => workFolder;

    public Guid AttemptToken { get; } = attemptToken;

    /// <summary>Says what a file of the work folder is to the task's caller ("input 'nir' (file 12)"): error
    /// messages that name it say that instead of its path.</summary>
    public void Name(string path, string display) => _names[path] = display;

    /// <summary>The files named with <see cref="Name"/>, and the work folder itself ("the work folder").</summary>
    internal IEnumerable<KeyValuePair<string, string>> Names => _names.Append(new(workFolder, "the work folder"));
}
