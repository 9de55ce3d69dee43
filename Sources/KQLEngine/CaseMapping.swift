/// Upper- and lower-casing as Kusto does it: .NET's invariant culture, one character to one.

/// The case mapping behind `toupper()`, `tolower()` and every case-insensitive comparison.
///
/// Kusto runs on .NET, whose invariant `ToUpper`/`ToLower` use Unicode's *simple* case mapping: each
/// character maps to exactly one character, whatever surrounds it. So `"ß"` stays `"ß"` (its full
/// upper case is `"SS"`), `"Σ"` always lowercases to `"σ"` (no final-sigma rule) and a string keeps
/// its length. Swift's `uppercased()`/`lowercased()` use the full, context-dependent mapping instead.
///
/// Swift exposes only the full mapping of a scalar; where it yields a single scalar it is the simple
/// one, and where it yields several the scalar has no simple mapping of its own, except for the Greek
/// letters with a subscript iota, whose simple mappings ``greekUpper`` lists.
enum CaseMapping {
    static func upper(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.uppercased() }
        return map(text) { scalar in
            if scalar.isASCII { return scalar.properties.isLowercase ? shifted(scalar, -32) : scalar }
            // .NET's invariant culture keeps the dotless ı as it is (ICU alone would give I); see
            // GlobalizationNative_ChangeCaseInvariant in dotnet/runtime.
            if scalar == "\u{131}" { return scalar }
            if let greek = greekUpper[scalar.value] { return Unicode.Scalar(greek)! }
            return single(scalar.properties.uppercaseMapping) ?? scalar
        }
    }

    static func lower(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        return map(text) { scalar in
            if scalar.isASCII { return scalar.properties.isUppercase ? shifted(scalar, 32) : scalar }
            // İ (U+0130) lowercases to "i" + U+0307 in full, so it stays, as in .NET's invariant culture.
            return single(scalar.properties.lowercaseMapping) ?? scalar
        }
    }

    private static func map(_ text: String, _ transform: (Unicode.Scalar) -> Unicode.Scalar) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(transform(scalar)) }
        return String(scalars)
    }

    private static func shifted(_ scalar: Unicode.Scalar, _ offset: Int32) -> Unicode.Scalar {
        Unicode.Scalar(UInt32(Int32(scalar.value) + offset))!
    }

    /// The one scalar of a mapping, or nil when it has several.
    private static func single(_ mapping: String) -> Unicode.Scalar? {
        var scalars = mapping.unicodeScalars.makeIterator()
        guard let first = scalars.next(), scalars.next() == nil else { return nil }
        return first
    }

    /// Simple upper cases that Swift's full mapping hides: the Greek small letters with a subscript
    /// iota (U+1F80–U+1FA7, U+1FB3, U+1FC3, U+1FF3) map to their title-case letters, which Unicode's
    /// simple mapping (UnicodeData.txt) gives as their upper case.
    private static let greekUpper: [UInt32: UInt32] = {
        var table: [UInt32: UInt32] = [0x1FB3: 0x1FBC, 0x1FC3: 0x1FCC, 0x1FF3: 0x1FFC]
        for base: UInt32 in [0x1F80, 0x1F90, 0x1FA0] {
            for offset: UInt32 in 0..<8 { table[base + offset] = base + offset + 8 }
        }
        return table
    }()
}
