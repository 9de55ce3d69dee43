/// KQL `timespan`: a signed duration in 100 ns ticks, and its .NET "c" text form.

/// A signed duration in 100 ns ticks.
public struct Timespan: Sendable, Hashable, Comparable, Codable {
    /// Ticks of 100 ns.
    public var ticks: Int64

    /// Creates a duration from ticks.
    public init(ticks: Int64) { self.ticks = ticks }

    /// Creates a duration from seconds.
    public init(seconds: Int64) { self.ticks = seconds * DateTime.ticksPerSecond }

    public static func < (lhs: Timespan, rhs: Timespan) -> Bool { lhs.ticks < rhs.ticks }

    /// The form Kusto prints and the query API sends: `[-][d.]hh:mm:ss[.fffffff]`.
    public var text: String {
        var magnitude = ticks.magnitude
        let fraction = magnitude % UInt64(DateTime.ticksPerSecond)
        magnitude /= UInt64(DateTime.ticksPerSecond)
        let seconds = magnitude % 60
        let minutes = magnitude / 60 % 60
        let hours = magnitude / 3600 % 24
        let days = magnitude / 86_400
        var result = ticks < 0 ? "-" : ""
        if days > 0 { result += "\(days)." }
        result += pad(Int(hours), 2) + ":" + pad(Int(minutes), 2) + ":" + pad(Int(seconds), 2)
        if fraction > 0 { result += "." + pad(Int(fraction), 7) }
        return result
    }

    /// Parses `[-][d.]hh:mm:ss[.fffffff]`; `nil` for anything else.
    public init?(text: some StringProtocol) {
        var scanner = DigitScanner(Array(text.utf8))
        let negative = scanner.take(UInt8(ascii: "-"))
        guard var first = scanner.digits() else { return nil }
        var days: Int64 = 0
        if scanner.take(UInt8(ascii: ".")) {
            days = first
            guard let hours = scanner.digits() else { return nil }
            first = hours
        }
        guard scanner.take(UInt8(ascii: ":")), let minutes = scanner.digits(), scanner.take(UInt8(ascii: ":")),
            let seconds = scanner.digits(), first < 24, minutes < 60, seconds < 60
        else { return nil }
        var fraction: Int64 = 0
        if scanner.take(UInt8(ascii: ".")) {
            guard let f = scanner.fraction() else { return nil }
            fraction = f
        }
        guard scanner.atEnd, days < 10_675_199 else { return nil }
        let total = ((days * 24 + first) * 3600 + minutes * 60 + seconds) * DateTime.ticksPerSecond + fraction
        self.ticks = negative ? -total : total
    }
}
