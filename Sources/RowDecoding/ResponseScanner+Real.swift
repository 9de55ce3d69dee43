/// Reading a JSON number as a Double without the C library when the result is exact by construction.

extension ScannerCore {
    /// Powers of ten that a Double holds exactly.
    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// The number `start..<end` (already checked against JSON's grammar) as the nearest Double, or
    /// `nil` when the quick way cannot promise the correctly rounded result.
    ///
    /// Clinger's fast path: with at most 15 significant digits the digits form an integer a Double
    /// holds exactly, and a power of ten up to 10^22 is exact too, so one multiplication or division
    /// (correctly rounded by IEEE 754) gives the correctly rounded result. Anything else goes to the
    /// C library's strtod through `Double(_:)`.
    @inline(__always)
    func fastDouble(_ start: Int, _ end: Int) -> Double? {
        let bytes = storage
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        while index < end {
            let digit = bytes[index] &- 48
            guard digit < 10 else { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            if mantissa != 0 { digits += 1 }
            index += 1
        }
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end {
                let digit = bytes[index] &- 48
                guard digit < 10 else { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                if mantissa != 0 { digits += 1 }
                exponent -= 1
                index += 1
            }
        }
        guard index == end, digits <= 15 else { return nil }
        let magnitude = Double(mantissa)
        var value: Double
        if exponent == 0 {
            value = magnitude
        } else if exponent >= -22 {
            value = magnitude / Self.exactPowers[-exponent]
        } else {
            return nil
        }
        if negative { value = -value }
        return value
    }
}
