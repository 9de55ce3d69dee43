/// KQL `datetime`: an instant in UTC with 100-nanosecond precision, and its ISO 8601 text forms.

/// An instant in UTC counted in 100 ns ticks since 0001-01-01T00:00:00Z, as Kusto counts them.
///
/// `Foundation.Date` is a `Double` and cannot hold 100 ns ticks exactly; this type can.
public struct DateTime: Sendable, Hashable, Comparable, Codable {
    /// Ticks of 100 ns since 0001-01-01T00:00:00Z.
    public var ticks: Int64

    /// Ticks in one second.
    public static let ticksPerSecond: Int64 = 10_000_000
    /// Ticks in one day.
    public static let ticksPerDay: Int64 = 864_000_000_000
    /// Ticks between 0001-01-01 and the Unix epoch, 1970-01-01.
    public static let unixEpochTicks: Int64 = 621_355_968_000_000_000
    /// The largest value Kusto accepts, 9999-12-31T23:59:59.9999999Z.
    public static let maxTicks: Int64 = 3_155_378_975_999_999_999

    /// Creates an instant from ticks since 0001-01-01.
    public init(ticks: Int64) {
        self.ticks = ticks
    }

    /// Creates an instant from whole and fractional seconds since the Unix epoch.
    public init(unixSeconds: Int64, fractionTicks: Int64 = 0) {
        self.ticks = DateTime.unixEpochTicks &+ unixSeconds &* DateTime.ticksPerSecond &+ fractionTicks
    }

    /// Seconds since the Unix epoch, as a `Double` (loses sub-microsecond precision).
    public var unixSeconds: Double {
        Double(ticks - DateTime.unixEpochTicks) / Double(DateTime.ticksPerSecond)
    }

    public static func < (lhs: DateTime, rhs: DateTime) -> Bool { lhs.ticks < rhs.ticks }

    /// Calendar fields in UTC.
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Int64) {
        let days = ticks / DateTime.ticksPerDay
        let rest = ticks % DateTime.ticksPerDay
        let (y, m, d) = Self.civil(fromDaysSince0001: days)
        let seconds = rest / DateTime.ticksPerSecond
        return (y, m, d, Int(seconds / 3600), Int(seconds / 60 % 60), Int(seconds % 60), rest % DateTime.ticksPerSecond)
    }

    /// Builds an instant from calendar fields in UTC; `nil` when a field is out of range.
    public static func from(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, fraction: Int64 = 0
    ) -> DateTime? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= daysInMonth(year: year, month: month), (0...23).contains(hour), (0...59).contains(minute),
            (0...59).contains(second), (0..<ticksPerSecond).contains(fraction)
        else { return nil }
        let days = daysSince0001(year: year, month: month, day: day)
        let seconds = Int64(hour * 3600 + minute * 60 + second)
        return DateTime(ticks: days * ticksPerDay + seconds * ticksPerSecond + fraction)
    }

    /// Kusto's text form: `2024-01-02T03:04:05.0000000Z`, always seven fraction digits.
    public var kustoText: String { format(fractionDigits: 7) }

    /// The query API's form: the fraction without trailing zeros, none when whole
    /// (`2024-01-02T03:04:05Z`, `2024-01-02T03:04:05.25Z`).
    public var apiText: String { format(fractionDigits: nil) }

    private func format(fractionDigits: Int?) -> String {
        let c = components
        var text = pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
        text += "T" + pad(c.hour, 2) + ":" + pad(c.minute, 2) + ":" + pad(c.second, 2)
        var fraction = pad(Int(c.fraction), 7)
        if fractionDigits == nil {
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        if !fraction.isEmpty { text += "." + fraction }
        return text + "Z"
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysSince0001(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(year - 1)
        var days = y * 365 + y / 4 - y / 100 + y / 400
        for m in 1..<month { days += Int64(daysInMonth(year: year, month: m)) }
        return days + Int64(day - 1)
    }

    static func civil(fromDaysSince0001 days: Int64) -> (Int, Int, Int) {
        // 400-year cycles of 146,097 days, then centuries, 4-year cycles and years.
        var n = days
        let cycles400 = n / 146_097
        n %= 146_097
        var centuries = n / 36_524
        if centuries == 4 { centuries = 3 }
        n -= centuries * 36_524
        let cycles4 = n / 1461
        n %= 1461
        var years = n / 365
        if years == 4 { years = 3 }
        n -= years * 365
        let year = Int(cycles400 * 400 + centuries * 100 + cycles4 * 4 + years + 1)
        var month = 1
        var remaining = Int(n)
        while remaining >= daysInMonth(year: year, month: month) {
            remaining -= daysInMonth(year: year, month: month)
            month += 1
        }
        return (year, month, remaining + 1)
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension DateTime {
    /// Parses the ISO 8601 forms found in logs and query responses.
    ///
    /// Accepts `YYYY-MM-DD`, then optionally `T` or a space, `hh:mm[:ss[.f…]]` with any number of fraction
    /// digits (kept to 100 ns, truncated beyond seven), and an optional zone: `Z`, `+hh:mm`, `-hh:mm`,
    /// `+hhmm`. A time without a zone is UTC. Returns `nil` for anything else.
    public init?(iso8601 text: some StringProtocol) {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.take(UInt8(ascii: "-")),
            let month = scanner.number(digits: 2), scanner.take(UInt8(ascii: "-")),
            let day = scanner.number(digits: 2)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction: Int64 = 0
        var offsetMinutes = 0
        if scanner.take(UInt8(ascii: "T")) || scanner.take(UInt8(ascii: "t")) || scanner.take(UInt8(ascii: " ")) {
            guard let h = scanner.number(digits: 2), scanner.take(UInt8(ascii: ":")),
                let m = scanner.number(digits: 2)
            else { return nil }
            hour = h
            minute = m
            if scanner.take(UInt8(ascii: ":")) {
                guard let s = scanner.number(digits: 2) else { return nil }
                second = s
                if scanner.take(UInt8(ascii: ".")) || scanner.take(UInt8(ascii: ",")) {
                    guard let f = scanner.fraction() else { return nil }
                    fraction = f
                }
            }
            if scanner.take(UInt8(ascii: "Z")) || scanner.take(UInt8(ascii: "z")) {
                offsetMinutes = 0
            } else if let sign = scanner.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                scanner.index += 1
                guard let oh = scanner.number(digits: 2) else { return nil }
                _ = scanner.take(UInt8(ascii: ":"))
                guard let om = scanner.number(digits: 2), oh <= 23, om <= 59 else { return nil }
                offsetMinutes = (oh * 60 + om) * (sign == UInt8(ascii: "-") ? -1 : 1)
            }
        }
        guard scanner.atEnd,
            let local = DateTime.from(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction)
        else { return nil }
        self.ticks = local.ticks - Int64(offsetMinutes) * 60 * DateTime.ticksPerSecond
    }
}

/// A tiny cursor over ASCII digits used by the date and timespan parsers.
struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func take(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// Exactly `digits` ASCII digits, or `nil`.
    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<digits {
            let byte = bytes[index + offset]
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        index += digits
        return value
    }

    /// One or more digits, at most 18.
    mutating func digits() -> Int64? {
        var value: Int64 = 0
        var count = 0
        while let byte = peek, byte >= 48, byte <= 57 {
            guard count < 18 else { return nil }
            value = value * 10 + Int64(byte - 48)
            count += 1
            index += 1
        }
        return count == 0 ? nil : value
    }

    /// Fraction digits as 100 ns ticks; digits past the seventh are dropped.
    mutating func fraction() -> Int64? {
        var ticks: Int64 = 0
        var count = 0
        while let byte = peek, byte >= 48, byte <= 57 {
            if count < 7 { ticks = ticks * 10 + Int64(byte - 48) }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 7) { ticks *= 10 }
        return ticks
    }
}
