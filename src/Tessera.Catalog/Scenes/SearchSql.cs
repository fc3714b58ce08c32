using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Tessera.Catalog.Scenes;

/// <summary>
/// The WHERE and ORDER BY of an item search as SQL with parameters, for SQLite or PostgreSQL (they differ only in how
/// a property is read from the item's JSON and how text is searched). Property names and values are always
/// parameters, never SQL text.
/// </summary>
internal sealed class SearchSql
{
    private readonly bool _postgres;
    private readonly List<(string Name, object? Value)> _parameters = [];
    private readonly StringBuilder _where = new("WHERE 1 = 1");

    public SearchSql(string dialect, ItemSearch search, bool withBbox = true)
    {
        _postgres = dialect == "Postgres";
        if (search.Visibility is { } owner)
        {
            _where.Append($" AND (i.owner IS NULL OR i.owner = {Parameter(owner)})");
        }
        if (search.Collections is { } collections)
        {
            _where.Append($" AND i.collection_id IN ({List(collections)})");
        }
        if (search.Ids is { } ids)
        {
            _where.Append($" AND i.id IN ({List(ids)})");
        }
        if (withBbox && (search.Intersects?.Bounds ?? search.Bbox) is { } box)
        {
            var b = search.Intersects is not null && search.Bbox is { } both ? Overlap(box, both) : box;
            _where.Append($" AND i.max_lon >= {Parameter(b.MinX)} AND i.min_lon <= {Parameter(b.MaxX)}");
            _where.Append($" AND i.max_lat >= {Parameter(b.MinY)} AND i.min_lat <= {Parameter(b.MaxY)}");
        }
        if (search.From is { } from)
        {
            _where.Append($" AND i.end_at >= {Parameter(from.ToUnixTimeMilliseconds())}");
        }
        if (search.To is { } to)
        {
            _where.Append($" AND i.start_at <= {Parameter(to.ToUnixTimeMilliseconds())}");
        }
        foreach (var filter in search.Query ?? [])
        {
            _where.Append(" AND ").Append(Condition(filter));
        }
        OrderBy = Order(search.SortBy ?? []);
    }

    public string Where => _where.ToString();

    public string OrderBy { get; }

    public (string Name, object? Value)[] Parameters => _parameters.ToArray();

    private static Raster.Bounds Overlap(Raster.Bounds a, Raster.Bounds b) =>
        new(Math.Max(a.MinX, b.MinX), Math.Max(a.MinY, b.MinY), Math.Min(a.MaxX, b.MaxX), Math.Min(a.MaxY, b.MaxY));

    private string Parameter(object? value)
    {
        var name = "p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value));
        return "@" + name;
    }

    private string List(IEnumerable<string> values)
    {
        var names = values.Select(v => Parameter(v)).ToList();
        return names.Count == 0 ? "NULL" : string.Join(", ", names);
    }

    /// <summary>A column searched as itself: (SQL, whether it holds numbers).</summary>
    private static (string Sql, bool Number)? Column(string property) => property switch
    {
        "id" => ("i.id", false),
        "collection" => ("i.collection_id", false),
        "eo:cloud_cover" => ("i.cloud_cover", true),
        "platform" => ("i.platform", false),
        "grid:code" => ("i.grid_code", false),
        _ => null,
    };

    private string Json(string property) =>
        _postgres ? $"(i.properties -> {Parameter(property)})" : $"json_extract(i.properties, {Parameter(JsonPath(property))})";

    private string JsonText(string property) =>
        _postgres ? $"(i.properties ->> {Parameter(property)})" : $"json_extract(i.properties, {Parameter(JsonPath(property))})";

    private string JsonNumber(string property) =>
        _postgres ? $"CAST(i.properties ->> {Parameter(property)} AS DOUBLE PRECISION)" : $"json_extract(i.properties, {Parameter(JsonPath(property))})";

    private string JsonType(string property, bool number) => _postgres
        ? $"jsonb_typeof(i.properties -> {Parameter(property)}) = '{(number ? "number" : "string")}'"
        : $"json_type(i.properties, {Parameter(JsonPath(property))}) IN ({(number ? "'integer', 'real'" : "'text'")})";

    private static string JsonPath(string property) => "$.\"" + property.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string Condition(PropertyFilter filter)
    {
        if (filter.Property is "datetime")
        {
            return Time(filter);
        }
        var values = filter.Operator == QueryOperator.In ? filter.Value.AsArray().ToList() : [filter.Value];
        var number = values.All(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.Number);
        var text = values.All(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String);
        var boolean = values.All(v => v?.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False);
        if (!number && !text && !boolean)
        {
            throw new CatalogException($"query: {filter.Property}: compare with numbers, strings or booleans, one kind at a time");
        }
        string subject;
        string guard;
        if (Column(filter.Property) is { } column)
        {
            if (column.Number ? !number : !text)
            {
                return "(1 = 0)"; // a number asked of a text field or the reverse: nothing matches
            }
            subject = column.Sql;
            guard = $"{column.Sql} IS NOT NULL";
        }
        else if (boolean)
        {
            // Booleans compare as JSON (true, false), equal or not only.
            if (filter.Operator is not (QueryOperator.Eq or QueryOperator.Neq or QueryOperator.In))
            {
                throw new CatalogException($"query: {filter.Property}: true and false can only be compared with eq, neq or in");
            }
            var expected = values.Select(v => v!.GetValueKind() == System.Text.Json.JsonValueKind.True).ToList();
            var sql = _postgres
                ? string.Join(" OR ", expected.Select(b => $"{Json(filter.Property)} = '{(b ? "true" : "false")}'::jsonb"))
                : string.Join(" OR ", expected.Select(b => $"(json_type(i.properties, {Parameter(JsonPath(filter.Property))}) = '{(b ? "true" : "false")}')"));
            return filter.Operator == QueryOperator.Neq ? $"NOT ({sql})" : $"({sql})";
        }
        else
        {
            subject = number ? JsonNumber(filter.Property) : JsonText(filter.Property);
            guard = JsonType(filter.Property, number);
        }
        string Value(JsonNode? v) => Parameter(number
            ? Stac.JsonNumbers.ToDouble(v!)
            : v!.GetValue<string>());
        if (number && filter.Operator is QueryOperator.StartsWith or QueryOperator.EndsWith or QueryOperator.Contains)
        {
            throw new CatalogException($"query: {filter.Property}: {filter.Operator} compares text, not numbers");
        }
        var condition = Comparison(filter.Operator) is { } sign
            ? $"{subject} {sign} {Value(filter.Value)}"
            : filter.Operator switch
            {
                QueryOperator.StartsWith => Starting(subject, Value(filter.Value)),
                QueryOperator.EndsWith => Ending(subject, Value(filter.Value)),
                QueryOperator.Contains => _postgres ? $"strpos({subject}, {Value(filter.Value)}) > 0" : $"instr({subject}, {Value(filter.Value)}) > 0",
                QueryOperator.In => $"{subject} IN ({string.Join(", ", values.Select(Value))})",
                _ => throw new ArgumentOutOfRangeException(nameof(filter)),
            };
        return $"({guard} AND {condition})";
    }

    /// <summary>The SQL of an ordering comparison, or null for the text and list operators.</summary>
    private static string? Comparison(QueryOperator op) => op switch
    {
        QueryOperator.Eq => "=",
        QueryOperator.Neq => "<>",
        QueryOperator.Lt => "<",
        QueryOperator.Lte => "<=",
        QueryOperator.Gt => ">",
        QueryOperator.Gte => ">=",
        _ => null,
    };

    private static string Starting(string subject, string value) => $"substr({subject}, 1, length({value})) = {value}";

    private static string Ending(string subject, string value) =>
        $"length({subject}) >= length({value}) AND substr({subject}, length({subject}) - length({value}) + 1) = {value}";

    private string Time(PropertyFilter filter)
    {
        var sign = Comparison(filter.Operator)
            ?? throw new CatalogException($"query: datetime can be compared with eq, neq, lt, lte, gt and gte, not {filter.Operator}");
        var millis = DateTimeOffset.Parse(filter.Value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            .ToUnixTimeMilliseconds();
        return $"i.start_at {sign} {Parameter(millis)}";
    }

    private string Order(IReadOnlyList<SortField> fields)
    {
        var parts = new List<string>();
        foreach (var field in fields)
        {
            var name = field.Field.StartsWith("properties.", StringComparison.Ordinal) ? field.Field["properties.".Length..] : field.Field;
            var sql = name switch
            {
                "datetime" or "start_datetime" => "i.start_at",
                "end_datetime" => "i.end_at",
                _ => Column(name)?.Sql ?? Json(name),
            };
            // Items without the field come last either way (SQLite would put them first, PostgreSQL last).
            parts.Add($"({sql} IS NULL), {sql}{(field.Descending ? " DESC" : "")}");
        }
        parts.Add("i.start_at");
        parts.Add("i.collection_id");
        parts.Add("i.id");
        return "ORDER BY " + string.Join(", ", parts);
    }
}
