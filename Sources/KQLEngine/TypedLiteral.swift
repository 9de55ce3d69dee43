/// Reads typed literals whose parentheses hold raw text: `datetime(...)`, `timespan(...)`, `int(null)`.

import Foundation
import TableModel

/// Parses the raw text of a typed literal into a value of its type.
enum TypedLiteral {
    static func parse(name: String, raw: String, at position: Position) throws -> Expr {
        guard let type = ColumnType(kqlName: name) else { throw KQLError.unsupported("the literal \(name)()") }
        let text = raw.trimmingSpaces
        func bad() -> KQLError {
            .syntax(
                line: position.line, column: position.column, expected: "a valid \(type.rawValue) literal",
                found: "'\(name)(\(raw))'")
        }
        if text == "null" { return .literal(.null, type) }
        switch type {
        case .datetime:
            if let value = parseDateTime(text) ?? spacedDate(text) {
                return .literal(.datetime(value), .datetime)
            }
            if isTimeOfDay(text) {
                // The real engine reads a bare time as that time today, which depends on the clock.
                throw KQLError.unsupported("a datetime literal with a time but no date ('datetime(\(text))')")
            }
            throw bad()
        case .timespan:
            guard let value = parseTimespan(text) else { throw bad() }
            return .literal(.timespan(value), .timespan)
        case .guid:
            guard let value = UUID(uuidString: text) else { throw bad() }
            return .literal(.guid(value), .guid)
        case .int:
            guard let value = Int32(text.replacingOccurrences(of: " ", with: "")) else { throw bad() }
            return .literal(.int(value), .int)
        case .long:
            guard let value = Int64(text.replacingOccurrences(of: " ", with: "")) else { throw bad() }
            return .literal(.long(value), .long)
        case .real:
            guard let value = parseReal(text) else { throw bad() }
            return .literal(.real(value), .real)
        case .bool:
            switch text.lowercased() {
            case "true", "1": return .literal(.bool(true), .bool)
            case "false", "0": return .literal(.bool(false), .bool)
            default: throw bad()
            }
        case .decimal:
            guard let value = Decimals.parse(text) else { throw bad() }
            return .literal(.decimal(value), .decimal)
        case .string, .dynamic:
            throw bad()
        }
    }

    /// A real from literal text: numbers, `nan`, `inf`, `+inf`, `-inf`.
    static func parseReal(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default:
            let compact = text.replacingOccurrences(of: " ", with: "")
            guard compact.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
            return Double(compact)
        }
    }

    /// A datetime literal's text: ISO 8601 with `T` or a space, with or without zone (UTC).
    static func parseDateTime(_ text: String) -> DateTime? {
        var text = text
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            text = String(text.dropFirst().dropLast())
        }
        if let value = DateTime(iso8601: text) { return value }
        if let value = usDate(text) { return value }
        // Months and days without leading zeros: 1970-5-12.
        let parts = text.split(separator: " ", maxSplits: 1)
        let date = parts.first?.split(separator: "-") ?? []
        if date.count == 3, date[0].count == 4, date[1].count <= 2, date[2].count <= 2,
            let month = Int(date[1]), let day = Int(date[2])
        {
            let padded = "\(date[0])-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
            return DateTime(iso8601: parts.count == 2 ? padded + " " + parts[1] : padded)
        }
        // Hours without minutes ("2021-01-01 10") and date-only forms with a trailing zone.
        if text.hasSuffix("Z"), let value = DateTime(iso8601: String(text.dropLast())) { return value }
        return nil
    }

    /// A literal date written as year, month and day numbers with spaced separators, as the
    /// documentation writes `datetime(2025, 6, 14)` and `datetime(2017 - 08 - 01)`.
    static func spacedDate(_ text: String) -> DateTime? {
        for separator in [",", "-"] {
            let parts = text.split(separator: Character(separator), omittingEmptySubsequences: false)
                .map { String($0).trimmingSpaces }
            let numeric = parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
            guard parts.count == 3, parts[0].count == 4, numeric,
                let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
            else { continue }
            return DateTime.from(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        }
        return nil
    }

    /// Whether the text is a time of day alone (`8:00`, `23:59:59`).
    static func isTimeOfDay(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return (2...3).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    /// `MM/dd/yyyy [HH:mm[:ss]]`, which `todatetime()` and datetime literals also accept.
    static func usDate(_ text: String) -> DateTime? {
        let parts = text.split(separator: " ", maxSplits: 1)
        guard let first = parts.first else { return nil }
        var date = first.split(separator: "/")
        if date.count != 3 { date = first.split(separator: "-") }
        guard date.count == 3, let month = Int(date[0]), let day = Int(date[1]), let year = Int(date[2]),
            date[2].count == 4
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        if parts.count == 2 {
            let time = parts[1].split(separator: ":")
            guard time.count >= 2, time.count <= 3, let h = Int(time[0]), let m = Int(time[1]) else { return nil }
            hour = h
            minute = m
            if time.count == 3 {
                guard let s = Int(time[2]) else { return nil }
                second = s
            }
        }
        return DateTime.from(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// A timespan literal's text: `d.hh:mm:ss.fffffff`, `hh:mm`, a number of days, or `15 seconds`.
    static func parseTimespan(_ text: String) -> Timespan? {
        if let value = Timespan(text: text) { return value }
        if let dot = text.firstIndex(of: "."), let days = Int64(text[..<dot]), days >= 0,
            let rest = Timespan(text: text[text.index(after: dot)...]), rest.ticks >= 0,
            rest.ticks < DateTime.ticksPerDay
        {
            let (total, overflow) = days.multipliedReportingOverflow(by: DateTime.ticksPerDay)
            if !overflow, total <= Int64.max - rest.ticks { return Timespan(ticks: total + rest.ticks) }
        }
        let parts = text.split(separator: ":")
        // Hours and days beyond the 64-bit tick range are not timespans (null), never a trap.
        if parts.count == 2, let hours = Int64(parts[0]), let minutes = Int64(parts[1]), minutes < 60,
            hours.magnitude < 256_204_778
        {
            return Timespan(ticks: (hours * 3600 + minutes * 60) * DateTime.ticksPerSecond)
        }
        if let days = Double(text), let ticks = Int64(exactly: (days * Double(DateTime.ticksPerDay)).rounded()) {
            return Timespan(ticks: ticks)
        }
        let compact = text.replacingOccurrences(of: " ", with: "")
        var digits = ""
        var unit = ""
        for char in compact {
            if unit.isEmpty, char.isNumber || char == "." { digits.append(char) } else { unit.append(char) }
        }
        if let amount = Double(digits), let perUnit = Lexer.timespanUnits[unit],
            let ticks = Int64(exactly: (amount * Double(perUnit)).rounded())
        {
            return Timespan(ticks: ticks)
        }
        return nil
    }
}
