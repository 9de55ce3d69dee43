/// The conversion functions: tostring, toint, tolong, todouble, tobool, todatetime, totimespan, toguid,
/// todynamic/parse_json.

import TableModel

enum ConversionFunctions {
    static let targets: [String: ColumnType] = [
        "tostring": .string, "toint": .int, "tolong": .long, "todouble": .real, "toreal": .real, "tobool": .bool,
        "toboolean": .bool, "todatetime": .datetime, "totimespan": .timespan, "totime": .timespan, "toguid": .guid,
        "todecimal": .decimal, "todynamic": .dynamic, "parse_json": .dynamic, "parsejson": .dynamic,
        "toobject": .dynamic,
    ]

    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        guard let type = targets[name] else { return nil }
        try Functions.arity(name, a, 1...1)
        if type == .dynamic, a[0].type == .dynamic { return a[0] }
        if type == .string, a[0].type == .string { return a[0] }
        if type == .decimal, [.datetime, .timespan, .guid].contains(a[0].type) {
            throw KQLError.unsupported("todecimal() of a \(a[0].type.rawValue)")
        }
        return a[0].map(type) { v in convert(v, to: type) }
    }

    /// Converts any value to `type` as the matching `to*()` function does; null when it cannot.
    static func convert(_ value: Value, to type: ColumnType) -> Value {
        switch type {
        case .string: return .string(value.kqlString)
        case .int: return Convert.toInt(value).map(Value.int) ?? .null
        case .long: return Convert.toLong(value).map(Value.long) ?? .null
        case .real: return Convert.toReal(value).map(Value.real) ?? .null
        case .bool: return Convert.toBool(value).map(Value.bool) ?? .null
        case .datetime: return Convert.toDateTime(value).map(Value.datetime) ?? .null
        case .timespan: return Convert.toTimespan(value).map(Value.timespan) ?? .null
        case .guid: return Convert.toGuid(value).map(Value.guid) ?? .null
        case .dynamic: return value.isNull ? .dynamic(.null) : .dynamic(Convert.toDynamic(value))
        case .decimal: return Decimals.from(value).map(Value.decimal) ?? .null
        }
    }
}
