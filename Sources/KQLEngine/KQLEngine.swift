/// The public face of the embedded KQL engine: run or parse a query over a table provider.

import Foundation
import TableModel

/// A time window closed at `from` and open at `to`, as the Log Analytics API's `timespan` applies it.
public struct ClosedOpenWindow: Sendable, Hashable {
    /// The first instant inside the window.
    public var from: DateTime
    /// The first instant after the window.
    public var to: DateTime

    /// Creates a window `[from, to)`.
    public init(from: DateTime, to: DateTime) {
        self.from = from
        self.to = to
    }
}

/// Runs KQL queries over the tables of a provider, with Log Analytics semantics.
///
/// Whatever the engine does not implement is refused with `KQLError.unsupported`, naming the construct,
/// rather than answered approximately.
public struct KQLEngine {
    /// Where tables named in queries come from.
    public let tables: any TableProvider
    /// The instant `now()` and `ago()` refer to, fixed for every query this engine runs.
    public let now: DateTime

    /// Creates an engine over `tables`; `now` defaults to the current UTC time.
    public init(tables: any TableProvider, now: DateTime = KQLEngine.currentTime()) {
        self.tables = tables
        self.now = now
    }

    /// The current UTC time in 100 ns ticks.
    public static func currentTime() -> DateTime {
        let seconds = Date().timeIntervalSince1970
        return DateTime(ticks: DateTime.unixEpochTicks + Int64((seconds * 10_000_000).rounded(.down)))
    }

    /// Runs a query.
    ///
    /// - Parameters:
    ///   - query: KQL text: `let` statements and one tabular statement, separated by `;`.
    ///   - window: restricts every source table that has a `TimeGenerated` datetime column to
    ///     `[from, to)`, like the Log Analytics API's `timespan`.
    /// - Returns: the result tables; normally one, named `PrimaryResult`.
    public func run(_ query: String, window: ClosedOpenWindow? = nil) throws(KQLError) -> [Table] {
        do {
            let statements = try Parser.parseQuery(query)
            let compiler = Compiler(context: QueryContext(provider: tables, now: now, window: window))
            let environment = Environment(parent: nil)
            var results: [Table] = []
            for statement in statements {
                if case .query(let tabular) = statement {
                    let plan = try compiler.plan(tabular, environment)
                    let name = results.isEmpty ? "PrimaryResult" : "Table_\(results.count)"
                    results.append(Table(name: name, columns: plan.columns, rows: try plan.collect()))
                } else {
                    try Statements.bind(statement, environment, compiler)
                }
            }
            guard !results.isEmpty else { throw QueryCheck.missingTabularStatement(statements) }
            return results
        } catch let error as KQLError {
            throw error
        } catch {
            throw KQLError.runtime("\(error)")
        }
    }

    /// Parses a query without running it: throws the first syntax error (with line and column), or an
    /// unsupported construct found while parsing. This is the language's syntax alone; ``check(_:)``
    /// also refuses what `run` would refuse whatever the tables hold.
    public static func parse(_ query: String) throws(KQLError) {
        do {
            _ = try Parser.parseQuery(query)
        } catch let error as KQLError {
            throw error
        } catch {
            throw KQLError.runtime("\(error)")
        }
    }

    /// Checks a query without running it: ``parse(_:)``, then the refusals `run` would make whatever
    /// the tables hold: no tabular statement, a construct the engine does not implement, or a call to
    /// a function that neither the engine nor the query's `let` statements define.
    public static func check(_ query: String) throws(KQLError) {
        do {
            try QueryCheck.check(try Parser.parseQuery(query))
        } catch let error as KQLError {
            throw error
        } catch {
            throw KQLError.runtime("\(error)")
        }
    }
}
