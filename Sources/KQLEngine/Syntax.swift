/// The syntax tree the parser builds: statements, tabular pipelines and scalar expressions.

import TableModel

/// Where a construct starts in the query text (1-based).
struct Position: Equatable {
    var line: Int
    var column: Int
}

/// A scalar expression.
indirect enum Expr {
    /// A literal with its KQL type (typed nulls included).
    case literal(Value, ColumnType)
    /// A `dynamic(...)` literal.
    case dynamicLiteral(Dynamic)
    /// A column, `let` name or parameter.
    case name(String, Position)
    /// A function call (scalar or aggregate).
    case call(String, [Expr], Position)
    /// A binary operator spelled as in KQL (`+`, `==`, `has`, `!contains_cs`, `and`, ...).
    case binary(String, Expr, Expr, Position)
    /// Unary minus or plus.
    case unary(String, Expr, Position)
    /// `x.name` or `x["name"]` on a dynamic value.
    case member(Expr, String, Position)
    /// `x[i]` on a dynamic value.
    case index(Expr, Expr, Position)
    /// `x in (...)` and its variants; elements are scalars or one tabular expression.
    case inList(String, Expr, [Expr], Position)
    /// `x between (a .. b)` or `!between`.
    case between(negated: Bool, Expr, Expr, Expr, Position)
    /// A tabular expression where a scalar is expected (`toscalar(T)`, `in (T)`).
    case tabular(TabularExpr)
    /// `*`, as in `arg_max(x, *)`.
    case star(Position)
    /// `typeof(long)`.
    case typeOf(ColumnType)

    /// Where the expression starts, when known.
    var position: Position? {
        switch self {
        case .name(_, let p), .call(_, _, let p), .binary(_, _, _, let p), .unary(_, _, let p),
            .member(_, _, let p), .index(_, _, let p), .inList(_, _, _, let p), .between(_, _, _, _, let p),
            .star(let p):
            return p
        default: return nil
        }
    }
}

/// An expression with the names it is assigned to (`A = x`, `(a, b) = f()`), or none.
struct NamedExpr {
    var names: [String]
    var expr: Expr
}

/// The options of `evaluate bag_unpack(column, prefix, columnsConflict, ignoredProperties) : (schema)`.
struct BagUnpackOptions {
    var prefix = ""
    /// `error` (the default), `replace_source` or `keep_source`: what a key that names an existing
    /// column does.
    var columnsConflict = "error"
    var ignoredProperties: Set<String> = []
    /// The declared output schema; `*` stands for the input's columns (the bag column left out).
    var schema: (star: Bool, columns: [Column])?
}

/// A sort key: `x asc nulls first`.
struct SortKey {
    var expr: Expr
    var ascending: Bool
    var nullsFirst: Bool
}

/// A source followed by `| operator` stages.
struct TabularExpr {
    var source: Source
    var operators: [PipeOperator]
}

/// What a pipeline starts from.
indirect enum Source {
    case name(String, Position)
    case call(String, [Expr], Position)
    case datatable([Column], [Expr])
    case print([NamedExpr])
    case range(String, Expr, Expr, Expr)
    case union(UnionSpec)
    case nested(TabularExpr)
    case materialize(TabularExpr)
    /// A source the parser recognises but the engine cannot run (`externaldata`, `search`, ...).
    case unsupported(String)
}

/// The options and operands of `union`.
struct UnionSpec {
    var kind: String = "outer"
    var withSource: String?
    var isFuzzy = false
    var tables: [TabularExpr]
}

/// The join condition: shared column names, or `$left.a == $right.b` pairs.
struct JoinKey {
    var left: String
    var right: String
}

/// A `| operator` stage.
enum PipeOperator {
    case `where`(Expr)
    case project([NamedExpr])
    case extend([NamedExpr])
    case projectAway([String])
    case projectKeep([String])
    case projectRename([(new: String, old: String)])
    case projectReorder([(pattern: String, ascending: Bool?)])
    case summarize(aggregates: [NamedExpr], by: [NamedExpr])
    case count(String)
    case distinct([NamedExpr])
    case sort([SortKey])
    case top(Expr, [SortKey])
    case take(Expr)
    case join(kind: String, right: TabularExpr, keys: [JoinKey], isLookup: Bool)
    case union(UnionSpec)
    case mvExpand(
        columns: [(name: String, expr: Expr, type: ColumnType?)], itemIndex: String?, limit: Expr?,
        bagsAsArrays: Bool = false)
    /// `make-series agg [default = x], ... on axis from a to b step s [by keys]`.
    case makeSeries(
        aggregates: [(item: NamedExpr, defaultValue: Expr?)], axis: NamedExpr, from: Expr?, to: Expr?, step: Expr,
        by: [NamedExpr])
    /// `parse-where`: as `parse`, keeping only the rows whose text matched.
    case parseWhere(kind: String, expr: Expr, pattern: [ParseElement], flags: String)
    /// `parse-kv expr as (a:long, ...) with (pair_delimiter=..., kv_delimiter=..., quote=...)`.
    case parseKv(expr: Expr, columns: [Column], options: [String: String])
    /// `mv-apply items on (subquery)`: the subquery runs over each row's expansion.
    case mvApply(
        columns: [(name: String, expr: Expr, type: ColumnType?)], itemIndex: String?, limit: Expr?,
        subquery: [PipeOperator])
    case parse(kind: String, expr: Expr, pattern: [ParseElement], flags: String)
    case getschema
    case serialize([NamedExpr])
    case render
    case bagUnpack(column: Expr, options: BagUnpackOptions)
    case `as`(String)
    /// `search predicate` over the piped table; terms are already rewritten to `* has "term"`.
    case search(Expr)
    /// An operator the parser recognises and skips, but the engine cannot run; it names it.
    case unsupported(String)
}

/// One piece of a `parse` pattern: literal text, or a column to capture (with a type).
enum ParseElement {
    case text(String)
    case capture(String, ColumnType)
    case wildcard
}

/// A `let` binding or the final tabular statement.
indirect enum Statement {
    case letValue(String, Expr)
    case letTabular(String, TabularExpr)
    case letFunction(String, FunctionDefinition)
    case query(TabularExpr)
    /// A scalar expression statement: the value of a function body.
    case scalar(Expr)
    /// A statement the parser recognises but the engine cannot run (`set`, `declare`, ...).
    case unsupported(String)
}

/// A user function: `let f = (a:long, b:string = "x", T:(*)) { body }`.
struct FunctionDefinition {
    struct Parameter {
        var name: String
        var type: ColumnType?
        var isTabular: Bool
        var defaultValue: Expr?
    }

    var parameters: [Parameter]
    /// `let` statements inside the body, then the body's value.
    var statements: [Statement]
    var result: Statement
}
