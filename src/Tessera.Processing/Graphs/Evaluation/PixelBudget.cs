using System.Globalization;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// How many band pixels the eager steps of one graph's evaluation may read in all (Tessera's operations write their input
/// cubes to files as their nodes are evaluated, before the result's own size is known): each step spends what it reads
/// before it starts, and the step that would go beyond the limit is refused (<c>ComputationTooLarge</c>).
/// </summary>
public sealed class PixelBudget(long limit)
{
    private long _spent;

    public long Limit { get; } = limit;

    public long Spent => Interlocked.Read(ref _spent);

    /// <summary>Spends <paramref name="pixels"/> band pixels for a node, or refuses when the limit would be passed.</summary>
    public void Spend(long pixels, string node)
    {
        var total = Interlocked.Add(ref _spent, pixels);
        if (total > Limit)
        {
            throw new GraphException("ComputationTooLarge", string.Create(CultureInfo.InvariantCulture,
                $"the graph's operations read about {total / 1e6:0.#} million band pixels, more than the {Limit / 1e6:0.#} million a synchronous request may: run it as a batch job instead"),
                node);
        }
    }
}
