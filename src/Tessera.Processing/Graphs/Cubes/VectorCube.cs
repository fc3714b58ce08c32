using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs.Cubes;

/// <summary>
/// A vector data cube made by <c>aggregate_spatial</c>: a <c>geometries</c> dimension (the GeoJSON features, in the
/// order given) in place of x and y, the raster cube's <c>t</c> and <c>bands</c> labels kept, and one value per
/// (geometry, time, band): the <see cref="Reducer"/> over the pixels the geometry covers. Lazy like a raster cube: the
/// values are computed when it is saved (<see cref="Evaluation.VectorCubeWriter"/>).
/// </summary>
/// <param name="Raster">The raster cube reduced, cut to the geometries' bounds when they meet it.</param>
/// <param name="Meets">Whether the geometries' bounds meet the raster cube at all (when not, every geometry covers no pixel).</param>
/// <param name="Features">The geometries as GeoJSON features in WGS 84, with their properties.</param>
/// <param name="GeometriesFile">The same features in a GeoJSON file of the evaluator's work folder.</param>
/// <param name="Reducer">The statistic (<c>mean</c>, <c>min</c>, <c>max</c>, <c>median</c>, <c>sum</c>, <c>count</c>, <c>sd</c>).</param>
/// <param name="TargetDimension">The name of the dimension holding <c>value</c>, <c>total_count</c> and <c>valid_count</c>, or null.</param>
public sealed record VectorCube(DataCube Raster, bool Meets, IReadOnlyList<JsonObject> Features, string GeometriesFile, string Reducer, string? TargetDimension)
{
    /// <summary>The labels of the target dimension, when there is one.</summary>
    public static readonly string[] CountLabels = ["value", "total_count", "valid_count"];
}
