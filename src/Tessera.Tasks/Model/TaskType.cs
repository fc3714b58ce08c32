using System.Globalization;

namespace Tessera.Tasks;

/// <summary>
/// A task's processing type, by number (the seed's <c>TaskType</c> values and those after them). The queue stores
/// and filters it and knows nothing else about it: what each number means is defined with the operations.
/// </summary>
public readonly record struct TaskType(int Number)
{
    public static explicit operator TaskType(int number) => new(number);

    public static explicit operator int(TaskType type) => type.Number;

    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture);
}
