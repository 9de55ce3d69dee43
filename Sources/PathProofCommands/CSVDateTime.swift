/// Writes a datetime's Kusto text straight into a CSV byte buffer, the hot path of large CSV results.

import TableModel

/// `2024-01-02T03:04:05.0000000Z` (``DateTime/kustoText``) as bytes, without intermediate strings.
enum CSVDateTime {
    static func append(_ instant: DateTime, to output: inout [UInt8]) {
        guard instant.ticks >= 0, instant.ticks <= DateTime.maxTicks else {
            output.append(contentsOf: instant.kustoText.utf8)
            return
        }
        let c = instant.components
        digits(c.year, 4, &output)
        output.append(0x2D)
        digits(c.month, 2, &output)
        output.append(0x2D)
        digits(c.day, 2, &output)
        output.append(0x54)
        digits(c.hour, 2, &output)
        output.append(0x3A)
        digits(c.minute, 2, &output)
        output.append(0x3A)
        digits(c.second, 2, &output)
        output.append(0x2E)
        digits(Int(c.fraction), 7, &output)
        output.append(0x5A)
    }

    /// `value` (not negative) in exactly `width` decimal digits, zero-padded.
    private static func digits(_ value: Int, _ width: Int, _ output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(0x30, count: width))
        var rest = value
        var position = start + width - 1
        while position >= start {
            output[position] = UInt8(0x30 + rest % 10)
            rest /= 10
            position -= 1
        }
    }
}
