/// Remembering the last answer of an expression that reads one column, for rows that repeat it.

import Foundation
import TableModel

/// Wraps `project` and `extend` expressions that read exactly one column so that a row whose cell is
/// the very same value as the previous row's gets the previous answer without evaluating again.
///
/// Workspace rows repeat cells a lot (a vault's resource id, an empty `AdditionalFields`), and the
/// shipped queries compute several columns from one such cell. "The very same" is strict: strings
/// by their UTF-8 bytes (not Unicode equivalence), reals by their bits (so `-0.0` is not `0.0`),
/// dynamic values the same way all the way down. It relies on every scalar function being
/// deterministic; window functions (`prev`, `row_number`, …) depend on the row's position and are
/// never wrapped.
enum SingleColumnMemo {
    static func wrap(_ scalar: Scalar, _ expr: Expr, _ scope: Scope) -> (Row) throws -> Value {
        if scalar.constant != nil || WindowFunctions.uses(expr) { return scalar.eval }
        if case .name = expr { return scalar.eval }
        guard let names = ColumnUsage.references([expr], scope.environment) else { return scalar.eval }
        let columns = Set(names.compactMap { scope.index(of: $0) })
        guard columns.count == 1, let column = columns.first else { return scalar.eval }
        let eval = scalar.eval
        let last = LastAnswer()
        return { row in
            let input = row[column]
            if last.isSet, same(last.input, input) { return last.output }
            let output = try eval(row)
            (last.input, last.output, last.isSet) = (input, output, true)
            return output
        }
    }

    /// The last input and answer of one wrapped expression (a plan runs on one thread, so there is no
    /// need for the exclusivity check on every row).
    private final class LastAnswer {
        @exclusivity(unchecked) var input: Value = .null
        @exclusivity(unchecked) var output: Value = .null
        @exclusivity(unchecked) var isSet = false
    }

    /// Whether `a` and `b` are the same value down to their bytes.
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.long(let x), .long(let y)): return x == y
        case (.real(let x), .real(let y)): return x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): return sameText(x, y)
        case (.datetime(let x), .datetime(let y)): return x == y
        case (.timespan(let x), .timespan(let y)): return x == y
        case (.guid(let x), .guid(let y)): return x == y
        case (.dynamic(let x), .dynamic(let y)): return same(x, y)
        default: return false
        }
    }

    private static func same(_ a: Dynamic, _ b: Dynamic) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.long(let x), .long(let y)): return x == y
        case (.real(let x), .real(let y)): return x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): return sameText(x, y)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (key, value) in x {
                guard let index = y.index(forKey: key), sameText(key, y[index].key), same(value, y[index].value)
                else { return false }
            }
            return true
        default: return false
        }
    }

    private static func sameText(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }
}
