/// datetime_diff (calendar boundaries crossed), format_datetime, format_timespan, make_datetime, week_of_year.

import TableModel

enum DateTimeFormatting {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "datetime_diff":
            try Functions.arity(name, a, 3...3)
            // The real engine types a week difference as real and every other part as long.
            let isWeek = a[0].constant?.kqlString.lowercased() == "week"
            return try combine(a, isWeek ? .real : .long) { v in
                guard let later = Convert.toDateTime(v[1]), let earlier = Convert.toDateTime(v[2]),
                    let count = diff(v[0].kqlString.lowercased(), later, earlier)
                else { return .null }
                return isWeek ? .real(Double(count)) : .long(count)
            }
        case "format_datetime":
            try Functions.arity(name, a, 2...2)
            guard let format = a[1].constant?.kqlString else {
                throw KQLError.unsupported("format_datetime() with a format that is not a constant")
            }
            let pieces = try tokens(format, allowed: "yMdHhmsfFt")
            return a[0].map(.string) { v in
                guard let date = Convert.toDateTime(v) else { return .string("") }
                return .string(render(date, pieces))
            }
        case "format_timespan":
            try Functions.arity(name, a, 2...2)
            guard let format = a[1].constant?.kqlString else {
                throw KQLError.unsupported("format_timespan() with a format that is not a constant")
            }
            let pieces = try tokens(format, allowed: "dHhmsfF")
            return a[0].map(.string) { v in
                guard case .timespan(let span) = v else { return .string("") }
                return .string(render(span, pieces))
            }
        case "week_of_year", "weekofyear":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.int) { v in
                guard let date = Convert.toDateTime(v) else { return .null }
                return .int(Int32(isoWeek(date)))
            }
        case "make_datetime":
            try Functions.arity(name, a, 3...7)
            return try combine(a, .datetime) { v in
                let fields = v.map(Convert.toReal)
                guard fields.allSatisfy({ $0 != nil && $0!.isFinite && abs($0!) < 100_000 }) else { return .null }
                let numbers = fields.map { $0! }
                // Fields past any calendar (or infinite) are an invalid date: null, never a trap.
                guard numbers.allSatisfy({ $0.isFinite && $0.magnitude < 1e9 }) else { return .null }
                let seconds = numbers.count > 5 ? numbers[5] : 0
                let whole = Int(seconds.rounded(.down))
                let fraction = Int64(((seconds - Double(whole)) * 1e7).rounded())
                guard
                    let date = DateTime.from(
                        year: Int(numbers[0]), month: Int(numbers[1]), day: Int(numbers[2]),
                        hour: numbers.count > 3 ? Int(numbers[3]) : 0, minute: numbers.count > 4 ? Int(numbers[4]) : 0,
                        second: whole, fraction: min(fraction, 9_999_999))
                else { return .null }
                return .datetime(date)
            }
        default:
            return nil
        }
    }

    /// Calendar boundaries of `part` crossed going from `earlier` to `later`.
    static func diff(_ part: String, _ later: DateTime, _ earlier: DateTime) -> Int64? {
        let a = later.components
        let b = earlier.components
        func floorDiv(_ ticks: Int64, _ unit: Int64) -> Int64 { ticks >= 0 ? ticks / unit : (ticks - unit + 1) / unit }
        func units(_ unit: Int64) -> Int64 { floorDiv(later.ticks, unit) - floorDiv(earlier.ticks, unit) }
        switch part {
        case "year": return Int64(a.year - b.year)
        case "quarter": return Int64((a.year * 4 + (a.month - 1) / 3) - (b.year * 4 + (b.month - 1) / 3))
        case "month": return Int64((a.year * 12 + a.month) - (b.year * 12 + b.month))
        case "week":
            let dayA = later.ticks / DateTime.ticksPerDay
            let dayB = earlier.ticks / DateTime.ticksPerDay
            // Weeks start on Sunday; day 0 (0001-01-01) was a Monday.
            return floorDiv(dayA + 1, 7) - floorDiv(dayB + 1, 7)
        case "day": return units(DateTime.ticksPerDay)
        case "hour": return units(36_000_000_000)
        case "minute": return units(600_000_000)
        case "second": return units(10_000_000)
        case "millisecond": return units(10_000)
        case "microsecond": return units(10)
        case "nanosecond": return (later.ticks - earlier.ticks) &* 100
        default: return nil
        }
    }

    /// ISO 8601 week number.
    static func isoWeek(_ date: DateTime) -> Int {
        let days = date.ticks / DateTime.ticksPerDay
        let weekday = Int((days % 7 + 7) % 7) + 1  // 1 = Monday ... 7 = Sunday
        let thursday = DateTime(ticks: (days - Int64(weekday) + 4) * DateTime.ticksPerDay)
        let year = thursday.components.year
        let january = DateTime.from(year: year, month: 1, day: 1)!.ticks / DateTime.ticksPerDay
        return Int((thursday.ticks / DateTime.ticksPerDay - january) / 7) + 1
    }

    enum Piece {
        case literal(String)
        case field(Character, Int)
    }

    /// Splits a .NET-style format into runs of one specifier letter and literal text.
    static func tokens(_ format: String, allowed: String) throws -> [Piece] {
        var pieces: [Piece] = []
        let chars = Array(format)
        var index = 0
        while index < chars.count {
            let char = chars[index]
            if char.isLetter {
                guard allowed.contains(char) else {
                    throw KQLError.unsupported("the format specifier '\(char)'")
                }
                var count = 1
                while index + count < chars.count, chars[index + count] == char { count += 1 }
                index += count
                // Runs longer than two of these letters repeat the two-letter field, as the real engine does.
                if allowed.contains("y"), "dMHhms".contains(char) {
                    while count > 2 {
                        pieces.append(.field(char, 2))
                        count -= 2
                    }
                }
                pieces.append(.field(char, count))
            } else {
                // Only the documented separators may sit between fields; the real engine refuses others
                // (recorded: format_timespan(x, '%d') is rejected).
                guard " /-:,._[]".contains(char) else {
                    throw KQLError.unsupported("the format character '\(char)'")
                }
                pieces.append(.literal(String(char)))
                index += 1
            }
        }
        return pieces
    }

    static func digits(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func fraction(_ ticks: Int64, _ count: Int, trim: Bool) -> String {
        var text = String(digits(ticks, 7).prefix(min(count, 7)))
        if trim { while text.hasSuffix("0") { text.removeLast() } }
        return text
    }

    static func render(_ date: DateTime, _ pieces: [Piece]) -> String {
        let c = date.components
        var output = ""
        for piece in pieces {
            switch piece {
            case .literal(let text): output += text
            case .field(let letter, let count):
                switch letter {
                case "y": output += count <= 2 ? digits(Int64(c.year % 100), count) : digits(Int64(c.year), count)
                case "M": output += digits(Int64(c.month), min(count, 2))
                case "d": output += digits(Int64(c.day), min(count, 2))
                case "H": output += digits(Int64(c.hour), min(count, 2))
                case "h": output += digits(Int64(c.hour % 12 == 0 ? 12 : c.hour % 12), min(count, 2))
                case "m": output += digits(Int64(c.minute), min(count, 2))
                case "s": output += digits(Int64(c.second), min(count, 2))
                case "f": output += fraction(c.fraction, count, trim: false)
                case "F": output += fraction(c.fraction, count, trim: true)
                case "t": output += String((c.hour < 12 ? "AM" : "PM").prefix(count))
                default: break
                }
            }
        }
        return output
    }

    static func render(_ span: Timespan, _ pieces: [Piece]) -> String {
        var magnitude = span.ticks.magnitude
        let fractionTicks = Int64(magnitude % UInt64(DateTime.ticksPerSecond))
        magnitude /= UInt64(DateTime.ticksPerSecond)
        let seconds = Int64(magnitude % 60)
        let minutes = Int64(magnitude / 60 % 60)
        let hours = Int64(magnitude / 3600 % 24)
        let days = Int64(magnitude / 86_400)
        var output = span.ticks < 0 ? "-" : ""
        for piece in pieces {
            switch piece {
            case .literal(let text): output += text
            case .field(let letter, let count):
                switch letter {
                case "d": output += digits(days, count)
                case "H", "h": output += digits(hours, count)
                case "m": output += digits(minutes, count)
                case "s": output += digits(seconds, count)
                case "f": output += fraction(fractionTicks, count, trim: false)
                case "F": output += fraction(fractionTicks, count, trim: true)
                default: break
                }
            }
        }
        return output
    }
}
