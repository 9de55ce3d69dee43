/// `mv-apply`: for each input row, expands its arrays as mv-expand does, runs the subquery over those
/// rows, and joins each result row with the input row's other columns.

import TableModel

enum MvApply {
    /// The rows of the input row being applied, read by the subquery's source.
    final class Current {
        var rows: [Row] = []
    }

    static func plan(
        _ input: Plan, _ items: [(name: String, expr: Expr, type: ColumnType?)], _ itemIndex: String?,
        _ limit: Expr?, _ subquery: [PipeOperator], _ environment: Environment, _ compiler: Compiler
    ) throws -> Plan {
        let current = Current()
        let source = Plan(columns: input.columns) {
            var iterator = current.rows.makeIterator()
            return { iterator.next() }
        }
        let scope = Scope(columns: input.columns, environment: environment)
        var inner = try MvExpand.plan(source, items, itemIndex, limit, scope, compiler)
        inner.serialized = true
        for op in subquery { inner = try compiler.apply(op, to: inner, environment) }
        let produced = Set(inner.columns.map(\.name))
        let expanded = Set(items.map(\.name))
        let kept = input.columns.indices.filter {
            !expanded.contains(input.columns[$0].name) && !produced.contains(input.columns[$0].name)
        }
        let columns = kept.map { input.columns[$0] } + inner.columns
        let applied = inner
        return Plan(columns: columns, serialized: input.serialized) {
            let cursor = try input.open()
            var row: Row = []
            var results: Cursor?
            return {
                while true {
                    if let results, let result = try results() { return kept.map { row[$0] } + result }
                    guard let next = try cursor() else { return nil }
                    row = next
                    current.rows = [next]
                    results = try applied.open()
                }
            }
        }
    }
}
