/// Date and time functions: bin/floor, bin_at, startof*/endof*, parts of a datetime, datetime_add.

import TableModel

enum DateTimeFunctions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "bin", "floor":
            try Functions.arity(name, a, 2...2)
            return try bin(a[0], a[1], anchor: nil)
        case "bin_at":
            try Functions.arity(name, a, 3...3)
            return try bin(a[0], a[1], anchor: a[2])
        case "startofday", "startofweek", "startofmonth", "startofyear", "endofday", "endofweek", "endofmonth",
            "endofyear":
            try Functions.arity(name, a, 1...2)
            guard a[0].type == .datetime || a[0].type == .dynamic else {
                throw KQLError.semantic("\(name)() takes a datetime")
            }
            let unit = String(name.dropFirst(name.hasPrefix("start") ? 7 : 5))
            let isEnd = name.hasPrefix("end")
            return try combine(a, .datetime) { v in
                guard let date = Convert.toDateTime(v[0]) else { return .null }
                let offset = v.count == 2 ? (Convert.toLong(v[1]) ?? 0) : 0
                guard let start = periodStart(date, unit: unit, offset: isEnd ? offset &+ 1 : offset) else {
                    // The period after the last one representable: its end is the largest datetime.
                    if isEnd, periodStart(date, unit: unit, offset: offset) != nil {
                        return .datetime(DateTime(ticks: DateTime.maxTicks))
                    }
                    return .null
                }
                return isEnd ? Arithmetic.checkedDate(start.ticks - 1) : .datetime(start)
            }
        case "dayofweek":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.timespan) { v in
                guard let date = Convert.toDateTime(v), date.ticks <= DateTime.maxTicks - DateTime.ticksPerDay else {
                    return .null
                }
                let days = (date.ticks / DateTime.ticksPerDay + 1) % 7
                return .timespan(Timespan(ticks: days * DateTime.ticksPerDay))
            }
        case "hourofday", "getyear", "getmonth", "dayofmonth", "dayofyear", "monthofyear":
            try Functions.arity(name, a, 1...1)
            let type: ColumnType = name == "getyear" || name == "getmonth" ? .long : .int
            return a[0].map(type) { v in
                guard let date = Convert.toDateTime(v) else { return .null }
                let c = date.components
                let part: Int
                switch name {
                case "hourofday": part = c.hour
                case "getyear": part = c.year
                case "getmonth", "monthofyear": part = c.month
                case "dayofmonth": part = c.day
                default:
                    let january = DateTime.from(year: c.year, month: 1, day: 1)?.ticks ?? 0
                    part = Int((date.ticks - january) / DateTime.ticksPerDay) + 1
                }
                return type == .long ? .long(Int64(part)) : .int(Int32(part))
            }
        case "datetime_add":
            try Functions.arity(name, a, 3...3)
            return try combine(a, .datetime) { v in
                guard let amount = Convert.toLong(v[1]), let date = Convert.toDateTime(v[2]) else { return .null }
                return add(v[0].kqlString.lowercased(), amount, to: date)
            }
        case "unixtime_seconds_todatetime", "unixtime_milliseconds_todatetime", "unixtime_microseconds_todatetime",
            "unixtime_nanoseconds_todatetime":
            try Functions.arity(name, a, 1...1)
            let scale: Double =
                switch name {
                case "unixtime_seconds_todatetime": 1e7
                case "unixtime_milliseconds_todatetime": 1e4
                case "unixtime_microseconds_todatetime": 10
                default: 0.01
                }
            return a[0].map(.datetime) { v in
                guard let number = Convert.toReal(v), let ticks = Convert.realToLong(number * scale) else {
                    return .null
                }
                return Arithmetic.checkedDate(DateTime.unixEpochTicks &+ ticks)
            }
        default:
            return nil
        }
    }

    static func bin(_ value: Scalar, _ size: Scalar, anchor: Scalar?) throws -> Scalar {
        let type: ColumnType
        switch (value.type, size.type) {
        case (.datetime, .timespan): type = .datetime
        case (.timespan, .timespan): type = .timespan
        case (.int, .int), (.int, .long): type = .int
        case (.long, .int), (.long, .long): type = .long
        case (.real, _) where Arithmetic.isNumeric(size.type): type = .real
        case (.int, .real), (.long, .real): type = .real
        default:
            throw KQLError.semantic("bin() cannot bin \(value.type.rawValue) by \(size.type.rawValue)")
        }
        var parts = [value, size]
        if let anchor { parts.append(anchor) }
        return try combine(parts, type) { v in
            if v[0].isNull || v[1].isNull { return .null }
            switch type {
            case .datetime, .timespan:
                guard let ticks = Convert.toLong(v[0]), let step = Convert.toLong(v[1]), step > 0 else { return .null }
                let origin = v.count == 3 ? (Convert.toLong(v[2]) ?? 0) : 0
                guard let result = floor(ticks, step: step, origin: origin) else { return .null }
                return type == .datetime ? Arithmetic.checkedDate(result) : .timespan(Timespan(ticks: result))
            case .real:
                guard let x = Convert.toReal(v[0]), let step = Convert.toReal(v[1]), step > 0 else { return .null }
                let origin = v.count == 3 ? (Convert.toReal(v[2]) ?? 0) : 0
                return .real(((x - origin) / step).rounded(.down) * step + origin)
            default:
                guard let x = Convert.toLong(v[0]), let step = Convert.toLong(v[1]), step > 0 else { return .null }
                let origin = v.count == 3 ? (Convert.toLong(v[2]) ?? 0) : 0
                guard let result = floor(x, step: step, origin: origin) else { return .null }
                return type == .int ? .int(Int32(truncatingIfNeeded: result)) : .long(result)
            }
        }
    }

    /// `value` rounded down to a multiple of `step` counted from `origin` (integer `bin`); `nil` when
    /// flooring would go below Int64.min, which has no answer.
    static func floor(_ value: Int64, step: Int64, origin: Int64) -> Int64? {
        let shifted = value &- origin
        var floored = shifted / step * step
        if floored > shifted {
            let (lower, overflow) = floored.subtractingReportingOverflow(step)
            if overflow { return nil }
            floored = lower
        }
        return floored &+ origin
    }

    /// The start of the day/week/month/year containing `date`, moved by `offset` periods.
    static func periodStart(_ date: DateTime, unit: String, offset: Int64) -> DateTime? {
        // Every instant lies within 3,652,059 days of any other: a larger offset has no answer.
        guard offset.magnitude <= 4_000_000 else { return nil }
        let c = date.components
        switch unit {
        case "day":
            let ticks = (date.ticks / DateTime.ticksPerDay + offset) * DateTime.ticksPerDay
            return ticks < 0 || ticks > DateTime.maxTicks ? nil : DateTime(ticks: ticks)
        case "week":
            let days = date.ticks / DateTime.ticksPerDay
            let sunday = days - (days + 1) % 7
            let ticks = (sunday + offset * 7) * DateTime.ticksPerDay
            return ticks < 0 || ticks > DateTime.maxTicks ? nil : DateTime(ticks: ticks)
        case "month":
            let months = Int64(c.year) * 12 + Int64(c.month - 1) + offset
            return DateTime.from(year: Int(months / 12), month: Int(months % 12) + 1, day: 1)
        default:
            return DateTime.from(year: c.year + Int(offset), month: 1, day: 1)
        }
    }

    static func add(_ part: String, _ amount: Int64, to date: DateTime) -> Value {
        let unitTicks: [String: Int64] = [
            "day": DateTime.ticksPerDay, "hour": 36_000_000_000, "minute": 600_000_000, "second": 10_000_000,
            "millisecond": 10_000, "microsecond": 10, "nanosecond": 0, "week": 7 * DateTime.ticksPerDay,
        ]
        if let ticks = unitTicks[part] { return Arithmetic.checkedDate(date.ticks &+ amount &* ticks) }
        // Any shift beyond a million months leaves years 1...9999, and larger ones would overflow.
        guard amount.magnitude <= 1_000_000 else { return .null }
        let months: Int64
        switch part {
        case "month": months = amount
        case "quarter": months = amount * 3
        case "year": months = amount * 12
        default: return .null
        }
        let c = date.components
        let total = Int64(c.year) * 12 + Int64(c.month - 1) + months
        let year = Int(total / 12)
        let month = Int(total % 12) + 1
        guard (1...9999).contains(year) else { return .null }
        let day = min(c.day, daysInMonth(year: year, month: month))
        guard let start = DateTime.from(year: year, month: month, day: day) else { return .null }
        return .datetime(DateTime(ticks: start.ticks + date.ticks % DateTime.ticksPerDay))
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        var day = 31
        while DateTime.from(year: year, month: month, day: day) == nil { day -= 1 }
        return day
    }
}
