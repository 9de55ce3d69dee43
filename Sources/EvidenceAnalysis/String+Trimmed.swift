/// A fast whitespace trim for the per-row hot path (Foundation's trim converts through UTF-16).

extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines; `self` copied as is when
    /// there is none, which is the common case for log values.
    var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return String(self) }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }
}
