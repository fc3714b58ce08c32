namespace Tessera.Tasks.Tests.Model;

public class TaskStateMachineTests
{
    [Fact]
    public void Statuses_HaveTheSeedNumbers()
    {
        // (The types' numbers are the operations' own: see the processing tests.)
        var statuses = new Dictionary<string, int>
        {
            ["NOT_STARTED"] = 0, ["DOWNLOADING"] = 1, ["DOWNLOADED"] = 2, ["PROCESSING_COMPLETED"] = 3,
            ["PROCESSING_FAILED"] = 4, ["PROCESSING"] = 5, ["PUBLISHING"] = 6, ["PUBLISH_COMPLETED"] = 7,
            ["PUBLISH_FAILED"] = 8, ["DOWNLOAD_FAILED"] = 9,
        };
        Assert.Equal(statuses, Enum.GetValues<TaskStatus>().ToDictionary(s => s.SeedName(), s => (int)s));
    }

    [Theory]
    [InlineData(TaskStatus.NotStarted, TaskStatus.Downloading)]
    [InlineData(TaskStatus.Downloading, TaskStatus.Downloaded)]
    [InlineData(TaskStatus.Downloaded, TaskStatus.Processing)]
    [InlineData(TaskStatus.Processing, TaskStatus.ProcessingCompleted)]
    [InlineData(TaskStatus.ProcessingCompleted, TaskStatus.Publishing)]
    [InlineData(TaskStatus.Publishing, TaskStatus.PublishCompleted)]
    [InlineData(TaskStatus.Downloading, TaskStatus.DownloadFailed)]
    [InlineData(TaskStatus.Processing, TaskStatus.ProcessingFailed)]
    [InlineData(TaskStatus.Publishing, TaskStatus.PublishFailed)]
    [InlineData(TaskStatus.DownloadFailed, TaskStatus.NotStarted)]
    [InlineData(TaskStatus.ProcessingFailed, TaskStatus.NotStarted)]
    [InlineData(TaskStatus.PublishFailed, TaskStatus.ProcessingCompleted)]
    [InlineData(TaskStatus.Processing, TaskStatus.NotStarted)]
    [InlineData(TaskStatus.Publishing, TaskStatus.ProcessingCompleted)]
    public void AllowedMoves(TaskStatus from, TaskStatus to) => Assert.True(TaskStateMachine.CanMove(from, to));

    [Theory]
    [InlineData(TaskStatus.NotStarted, TaskStatus.Processing)]
    [InlineData(TaskStatus.Downloading, TaskStatus.Processing)]
    [InlineData(TaskStatus.Processing, TaskStatus.PublishCompleted)]
    [InlineData(TaskStatus.PublishCompleted, TaskStatus.NotStarted)]
    [InlineData(TaskStatus.DownloadFailed, TaskStatus.Processing)]
    [InlineData(TaskStatus.PublishFailed, TaskStatus.NotStarted)]
    [InlineData(TaskStatus.NotStarted, TaskStatus.NotStarted)]
    public void RefusedMoves_SayWhich(TaskStatus from, TaskStatus to)
    {
        Assert.False(TaskStateMachine.CanMove(from, to));
        var e = Assert.Throws<InvalidTransitionException>(() => TaskStateMachine.EnsureCanMove(from, to));
        Assert.Equal($"a task cannot go from {from.SeedName()} to {to.SeedName()}", e.Message);
    }

    [Fact]
    public void PublishCompleted_IsFinal() => Assert.Empty(TaskStateMachine.Targets(TaskStatus.PublishCompleted));
}
