namespace Tessera.Processing.Graphs.Cubes;

/// <summary>
/// What one value of a cube is at every pixel, as an expression over the cube's inputs (<see cref="Leaf"/>: one band
/// of one scene, read on the cube's grid): chains of pixel processes become one expression, computed in one pass over
/// each block. NaN is nodata throughout.
/// </summary>
public abstract record PixelExpr;

/// <summary>Input <paramref name="Index"/> of the cube (a band of a scene on the grid).</summary>
public sealed record Leaf(int Index) : PixelExpr;

/// <summary>The same number everywhere.</summary>
public sealed record Constant(double Value) : PixelExpr;

/// <summary>A function of one value (absolute, sqrt, exp, ln, not, is_nodata, ...).</summary>
public sealed record Unary(string Function, PixelExpr Argument) : PixelExpr;

/// <summary>An operator on two values (add, subtract, multiply, divide, power, log, eq, lt, and, ...).</summary>
public sealed record Binary(string Operator, PixelExpr Left, PixelExpr Right) : PixelExpr;

/// <summary>A value where a condition holds (not 0 and not nodata), another elsewhere.</summary>
public sealed record Conditional(PixelExpr Condition, PixelExpr Then, PixelExpr Else) : PixelExpr;

/// <summary>A statistic of several values at the pixel (min, max, mean, median, first, last, sum, count, sd), nodata left out.</summary>
public sealed record Reduction(string Statistic, IReadOnlyList<PixelExpr> Values) : PixelExpr;

/// <summary>The first of several values that is not nodata (scenes of one day mosaicked).</summary>
public sealed record FirstValid(IReadOnlyList<PixelExpr> Values) : PixelExpr;
