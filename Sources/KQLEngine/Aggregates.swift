/// The aggregate functions of `summarize`: their result types, default names and accumulators.

import TableModel

/// Accumulates one aggregate over the rows of one group.
class Accumulator {
    /// Adds one row's argument values.
    func add(_ values: [Value]) {}
    /// Adds `times` rows with the same argument values.
    func add(_ values: [Value], times: Int) {
        for _ in 0..<times { add(values) }
    }
    /// The aggregate's values (several for arg_max/arg_min).
    func results() -> [Value] { [] }
}

/// A compiled aggregate call: its output columns, its argument evaluators, and an accumulator factory.
struct Aggregate {
    var columns: [Column]
    var arguments: [Scalar]
    var make: () -> Accumulator
}

enum Aggregates {
    static let names: Set<String> = [
        "count", "countif", "dcount", "dcountif", "sum", "sumif", "avg", "avgif", "min", "max", "minif", "maxif",
        "make_list", "make_list_if", "make_list_with_nulls", "make_set", "make_set_if", "makelist", "makeset",
        "make_bag", "make_bag_if", "arg_max", "arg_min", "take_any", "any", "take_anyif", "anyif", "percentile",
        "percentiles", "percentilew", "percentiles_array", "stdev", "stdevif", "stdevp", "variance", "varianceif",
        "variancep", "hll", "hll_merge", "tdigest", "tdigest_merge", "binary_all_and", "binary_all_or",
        "binary_all_xor", "buildschema", "count_distinct", "count_distinctif", "covariance", "covarianceif",
        "covariancep", "covariancepif", "percentilesw", "percentilew", "percentilesw_array", "make_set_with_nulls",
        "dcount_hll", "hll_if", "tdigest_if", "make_list_with_nulls_if", "avgif", "sumif",
    ]

    static func isAggregate(_ name: String) -> Bool { names.contains(name) }

    /// Compiles `name(args)` over `scope`; `assigned` is the name given with `=`, if any.
    static func compile(
        _ name: String, _ args: [Expr], assigned: [String], keys: [String], _ scope: Scope, _ compiler: Compiler
    ) throws -> Aggregate {
        if name == "arg_max" || name == "arg_min" {
            return try ArgExtreme.compile(name, args, assigned: assigned, keys: keys, scope, compiler)
        }
        if name == "take_any" || name == "any" {
            return try TakeAny.compile(name, args, assigned: assigned, scope, compiler)
        }
        let a = try args.map { try compiler.scalar($0, scope) }
        if !Decimals.awareAggregates.contains(name), a.contains(where: { $0.type == .decimal }) {
            throw KQLError.unsupported("the aggregate \(name)() of a decimal")
        }
        let argumentName = args.first.flatMap(Compiler.derivedName) ?? ""
        func named(_ prefix: String, _ type: ColumnType) -> [Column] {
            [Column(assigned.first ?? prefix + "_" + argumentName, type)]
        }
        func predicate(_ index: Int) throws {
            guard a.count > index, a[index].type == .bool else {
                throw KQLError.semantic("\(name)() needs a bool predicate as argument \(index + 1)")
            }
        }
        switch name {
        case "count":
            try Functions.arity(name, a, 0...1)
            let column = a.isEmpty ? Column(assigned.first ?? "count_", .long) : named("count", .long)[0]
            return Aggregate(columns: [column], arguments: []) { Counter() }
        case "countif":
            try Functions.arity(name, a, 1...1)
            try predicate(0)
            return Aggregate(columns: named("countif", .long), arguments: a) {
                Counter(conditional: true)
            }
        case "dcount", "dcountif", "count_distinct", "count_distinctif":
            let conditional = name.hasSuffix("if")
            try Functions.arity(name, a, conditional ? 2...3 : 1...2)
            if conditional { try predicate(1) }
            return Aggregate(columns: named(name, .long), arguments: conditional ? [a[0], a[1]] : [a[0]]) {
                DistinctCounter(conditional: conditional)
            }
        case "sum", "sumif":
            let conditional = name == "sumif"
            try Functions.arity(name, a, conditional ? 2...2 : 1...1)
            if conditional { try predicate(1) }
            let type: ColumnType
            switch a[0].type {
            case .int, .long: type = .long
            case .real: type = .real
            case .timespan: type = .timespan
            case .dynamic: type = .real
            default: throw KQLError.semantic("\(name)() cannot sum \(a[0].type.rawValue)")
            }
            return Aggregate(columns: named(name, type), arguments: Array(a.prefix(2))) {
                Summer(type: type, conditional: conditional)
            }
        case "avg", "avgif":
            let conditional = name == "avgif"
            try Functions.arity(name, a, conditional ? 2...2 : 1...1)
            if conditional { try predicate(1) }
            guard Arithmetic.isNumeric(a[0].type) || a[0].type == .dynamic else {
                throw KQLError.unsupported("\(name)() of \(a[0].type.rawValue)")
            }
            let integral = a[0].type == .int || a[0].type == .long
            return Aggregate(columns: named(name, .real), arguments: Array(a.prefix(2))) {
                Averager(conditional: conditional, integral: integral)
            }
        case "min", "max", "minif", "maxif":
            let conditional = name.hasSuffix("if")
            try Functions.arity(name, a, conditional ? 2...2 : 1...1)
            if conditional { try predicate(1) }
            let type = a[0].type
            if type == .dynamic { throw KQLError.unsupported("\(name)() of dynamic") }
            return Aggregate(columns: named(name, type), arguments: Array(a.prefix(2))) {
                Extreme(wantMax: name.hasPrefix("max"), conditional: conditional, type: type)
            }
        case "make_list", "make_list_if", "makelist", "make_set", "make_set_if", "makeset", "make_list_with_nulls":
            let conditional = name.hasSuffix("_if")
            try Functions.arity(name, a, conditional ? 2...3 : 1...2)
            if conditional { try predicate(1) }
            let limitIndex = conditional ? 2 : 1
            var limit = name == "makelist" || name == "makeset" ? 128 : 1_048_576
            if a.count > limitIndex {
                guard let constant = a[limitIndex].constant, let value = Convert.toLong(constant), value > 0 else {
                    throw KQLError.semantic("\(name)() needs a constant positive size limit")
                }
                limit = Int(min(value, 1_048_576))
            }
            let isSet = name.contains("set")
            return Aggregate(
                columns: named(isSet ? "set" : "list", .dynamic), arguments: Array(a.prefix(conditional ? 2 : 1))
            ) {
                Collector(
                    isSet: isSet, conditional: conditional, keepNulls: name == "make_list_with_nulls", limit: limit)
            }
        case "make_bag", "make_bag_if":
            let conditional = name == "make_bag_if"
            try Functions.arity(name, a, conditional ? 2...3 : 1...2)
            return Aggregate(columns: named("bag", .dynamic), arguments: Array(a.prefix(conditional ? 2 : 1))) {
                BagMerger(conditional: conditional)
            }
        case "percentile", "percentiles":
            try Functions.arity(name, a, 2...64)
            guard Arithmetic.isNumeric(a[0].type) || a[0].type == .datetime || a[0].type == .timespan else {
                throw KQLError.semantic("\(name)() needs numbers, datetimes or timespans")
            }
            if name == "percentile" { try Functions.arity(name, a, 2...2) }
            var ranks: [Double] = []
            var columns: [Column] = []
            for (offset, scalar) in a.dropFirst().enumerated() {
                guard let constant = scalar.constant, let rank = Convert.toReal(constant), (0...100).contains(rank)
                else { throw KQLError.semantic("\(name)() needs constant percentages between 0 and 100") }
                ranks.append(rank)
                let label = Value.real(rank).kqlString.replacingOccurrences(of: ".0", with: "")
                    .replacingOccurrences(of: ".", with: "_")
                let fallback = "percentile_" + argumentName + "_" + label
                columns.append(Column(offset < assigned.count ? assigned[offset] : fallback, a[0].type))
            }
            if name == "percentile", let first = assigned.first { columns[0].name = first }
            return Aggregate(columns: columns, arguments: [a[0]]) { Ranker(ranks: ranks) }
        case "stdev", "stdevp", "variance", "variancep", "stdevif", "varianceif":
            let conditional = name.hasSuffix("if")
            try Functions.arity(name, a, conditional ? 2...2 : 1...1)
            let prefix = conditional ? String(name.dropLast(2)) : name
            return Aggregate(columns: named(name, .real), arguments: Array(a.prefix(2))) {
                Spread(population: prefix.hasSuffix("p"), root: prefix.hasPrefix("stdev"), conditional: conditional)
            }
        default:
            throw KQLError.unsupported("the aggregate \(name)()")
        }
    }

    static func passes(_ values: [Value], _ index: Int) -> Bool {
        Logic.boolValue(values[index]) == true
    }
}

final class Counter: Accumulator {
    let conditional: Bool
    var count: Int64 = 0
    init(conditional: Bool = false) { self.conditional = conditional }
    override func add(_ values: [Value]) {
        if !conditional || Aggregates.passes(values, 0) { count += 1 }
    }
    override func add(_ values: [Value], times: Int) {
        if !conditional || Aggregates.passes(values, 0) { count += Int64(times) }
    }
    override func results() -> [Value] { [.long(count)] }
}

final class DistinctCounter: Accumulator {
    let conditional: Bool
    var seen: Set<Value> = []
    init(conditional: Bool) { self.conditional = conditional }
    override func add(_ values: [Value]) {
        if conditional && !Aggregates.passes(values, 1) { return }
        if Comparison.isNullLike(values[0]) && !values[0].isNaNReal { return }
        seen.insert(values[0])
    }
    override func results() -> [Value] { [.long(Int64(seen.count))] }
}

final class Summer: Accumulator {
    let type: ColumnType
    let conditional: Bool
    var long: Int64 = 0
    var real: Double = 0
    init(type: ColumnType, conditional: Bool) {
        self.type = type
        self.conditional = conditional
    }
    override func add(_ values: [Value]) {
        if conditional && !Aggregates.passes(values, 1) { return }
        switch values[0] {
        case .null, .dynamic(.null): return
        case .timespan(let t): long = long &+ t.ticks
        default:
            if type == .long, let value = Convert.toLong(values[0]) {
                long = long &+ value
            } else if let value = Convert.toReal(values[0]) {
                real += value
            }
        }
    }
    override func results() -> [Value] {
        switch type {
        case .long: return [.long(long)]
        case .timespan: return [.timespan(Timespan(ticks: long))]
        default: return [.real(real)]
        }
    }
}

final class Averager: Accumulator {
    let conditional: Bool
    /// Kusto sums integers as a wrapping long before dividing.
    let integral: Bool
    var total: Double = 0
    var longTotal: Int64 = 0
    var count: Double = 0
    init(conditional: Bool, integral: Bool) {
        self.conditional = conditional
        self.integral = integral
    }
    override func add(_ values: [Value]) {
        if conditional && !Aggregates.passes(values, 1) { return }
        if integral {
            guard let value = Convert.toLong(values[0]) else { return }
            longTotal = longTotal &+ value
        } else {
            guard let value = Convert.toReal(values[0]) else { return }
            total += value
        }
        count += 1
    }
    override func results() -> [Value] {
        [.real(count == 0 ? .nan : (integral ? Double(longTotal) : total) / count)]
    }
}

final class Extreme: Accumulator {
    let wantMax: Bool
    let conditional: Bool
    let type: ColumnType
    var best: Value?
    /// A NaN anywhere makes min and max NaN, as the real engine answers.
    var sawNaN = false
    init(wantMax: Bool, conditional: Bool, type: ColumnType) {
        self.wantMax = wantMax
        self.conditional = conditional
        self.type = type
    }
    override func add(_ values: [Value]) {
        if conditional && !Aggregates.passes(values, 1) { return }
        let value = values[0]
        if value.isNaNReal { sawNaN = true }
        if Comparison.isNullLike(value) { return }
        if case .string(let s) = value, s.isEmpty { return }
        guard let current = best else {
            best = value
            return
        }
        let order = Comparison.sortOrder(value, current)
        if wantMax ? order > 0 : order < 0 { best = value }
    }
    override func results() -> [Value] {
        if sawNaN { return [.real(.nan)] }
        return [best ?? (type == .string ? .string("") : .null)]
    }
}

final class Collector: Accumulator {
    let isSet: Bool
    let conditional: Bool
    let keepNulls: Bool
    let limit: Int
    var items: [Dynamic] = []
    var seen: Set<Dynamic> = []
    init(isSet: Bool, conditional: Bool, keepNulls: Bool, limit: Int) {
        self.isSet = isSet
        self.conditional = conditional
        self.keepNulls = keepNulls
        self.limit = limit
    }
    override func add(_ values: [Value]) {
        if conditional && !Aggregates.passes(values, 1) { return }
        let value = values[0]
        if value.isNull {
            if keepNulls, items.count < limit { items.append(.null) }
            return
        }
        if case .dynamic(.array(let elements)) = value {
            for element in elements { append(element) }
            return
        }
        append(Dynamic(scalar: value))
    }
    private func append(_ item: Dynamic) {
        guard items.count < limit else { return }
        if isSet {
            guard seen.insert(item).inserted else { return }
        }
        items.append(item)
    }
    override func results() -> [Value] { [.dynamic(.array(items))] }
}

final class BagMerger: Accumulator {
    let conditional: Bool
    var bag: [String: Dynamic] = [:]
    init(conditional: Bool) { self.conditional = conditional }
    override func add(_ values: [Value]) {
        if conditional && !Aggregates.passes(values, 1) { return }
        guard case .dynamic(.object(let more)) = values[0] else { return }
        for (key, value) in more where bag[key] == nil { bag[key] = value }
    }
    override func results() -> [Value] { [.dynamic(.object(bag))] }
}

final class Spread: Accumulator {
    let population: Bool
    let root: Bool
    let conditional: Bool
    var values: [Double] = []
    init(population: Bool, root: Bool, conditional: Bool) {
        self.population = population
        self.root = root
        self.conditional = conditional
    }
    override func add(_ row: [Value]) {
        if conditional && !Aggregates.passes(row, 1) { return }
        if let value = Convert.toReal(row[0]) { values.append(value) }
    }
    override func results() -> [Value] {
        let n = Double(values.count)
        let divisor = population ? n : n - 1
        guard divisor > 0 else { return [.real(0)] }
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / divisor
        return [.real(root ? variance.squareRoot() : variance)]
    }
}

extension Value {
    var isNaNReal: Bool {
        if case .real(let r) = self { return r.isNaN }
        return false
    }
}

/// Nearest-rank percentiles. The real engine uses a T-Digest estimate on large inputs, where its
/// answers may differ slightly from these exact ones.
final class Ranker: Accumulator {
    let ranks: [Double]
    var values: [Value] = []
    init(ranks: [Double]) { self.ranks = ranks }
    override func add(_ row: [Value]) {
        if !Comparison.isNullLike(row[0]) { values.append(row[0]) }
    }
    override func results() -> [Value] {
        guard !values.isEmpty else { return ranks.map { _ in .null } }
        let sorted = Sorting.stableSort(values) { Comparison.sortOrder($0, $1) < 0 }
        return ranks.map { rank in
            let position = max(1, Int((rank / 100 * Double(sorted.count)).rounded(.up)))
            return sorted[min(position, sorted.count) - 1]
        }
    }
}
