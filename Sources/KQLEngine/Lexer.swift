/// Splits KQL text into tokens with their line and column, as the parser consumes them.

/// A token of KQL text.
struct Token: Equatable {
    enum Kind: Equatable {
        /// A name or keyword (`where`, `project-away`, `TimeGenerated`).
        case identifier(String)
        /// A negated or case-insensitive operator word (`!in`, `in~`, `!has_cs`).
        case operatorWord(String)
        /// Punctuation and symbolic operators (`|`, `==`, `..`).
        case symbol(String)
        case string(String)
        case long(Int64)
        case real(Double)
        case timespan(Int64)
        /// 9223372036854775808, which is only valid after a unary minus (the smallest long).
        case longMinMagnitude
        /// A typed literal with raw text inside its parentheses: `datetime(2024-01-01)`, `int(null)`.
        case typed(name: String, raw: String)
        case end
    }

    var kind: Kind
    var line: Int
    var column: Int

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .operatorWord(let word): return "'\(word)'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .string: return "a string literal"
        case .long(let value): return "'\(value)'"
        case .real(let value): return "'\(value)'"
        case .timespan: return "a timespan literal"
        case .longMinMagnitude: return "'9223372036854775808'"
        case .typed(let name, let raw): return "'\(name)(\(raw))'"
        case .end: return "the end of the query"
        }
    }
}

/// Turns KQL source text into tokens.
struct Lexer {
    /// Names whose parenthesised argument is literal text rather than an expression.
    static let typedLiteralNames: Set<String> = [
        "datetime", "date", "time", "timespan", "guid", "int", "long", "real", "double", "bool", "boolean",
        "decimal", "int32", "int64",
    ]
    /// Operator and keyword spellings that contain a dash.
    static let dashedWords: Set<String> = [
        "project-away", "project-keep", "project-rename", "project-reorder", "project-smart", "mv-expand",
        "mv-apply", "make-series", "parse-where", "parse-kv", "top-nested", "top-hitters", "make-graph",
        "graph-match", "find-where", "project-by-names", "graph-mark-components", "graph-shortest-paths",
        "graph-to-table", "graph-where-nodes", "graph-where-edges", "sample-distinct",
    ]

    private let chars: [Character]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ text: String) { chars = Array(text) }

    /// Every token of `text`, ending with `.end`.
    static func tokenize(_ text: String) throws -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.nextToken()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    /// Whether `char` ends a line: LF, CR, or CRLF (one `Character` in Swift), so files saved with
    /// Windows line endings read as they do in Log Analytics.
    private static func endsLine(_ char: Character) -> Bool {
        char == "\n" || char == "\r\n" || char == "\r"
    }

    /// Whether `char` ends a `//` comment: a line ending, or the Unicode line and paragraph
    /// separators U+2028 and U+2029, which Kusto's parser also reads as line breaks (TextFacts'
    /// IsLineBreakStart); a string literal ends only at CR or LF.
    private static func endsComment(_ char: Character) -> Bool {
        endsLine(char) || char == "\u{2028}" || char == "\u{2029}"
    }

    private mutating func advance() {
        if Self.endsLine(chars[index]) {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private func error(_ expected: String) -> KQLError {
        .syntax(line: line, column: column, expected: expected, found: peek().map { "'\($0)'" } ?? "the end")
    }

    private mutating func skipSpaceAndComments() {
        while let char = peek() {
            if char.isWhitespace || char == "\u{200B}" || char == "\u{FEFF}" {
                advance()
            } else if char == "/", peek(1) == "/" {
                while let c = peek(), !Self.endsComment(c) { advance() }
            } else {
                return
            }
        }
    }

    private mutating func nextToken() throws -> Token {
        skipSpaceAndComments()
        let startLine = line
        let startColumn = column
        func make(_ kind: Token.Kind) -> Token { Token(kind: kind, line: startLine, column: startColumn) }
        guard let char = peek() else { return make(.end) }

        if char == "'" || char == "\"" { return make(.string(try quotedString())) }
        if char == "@", let next = peek(1), next == "'" || next == "\"" {
            advance()
            return make(.string(try verbatimString()))
        }
        if (char == "h" || char == "H"), let next = peek(1), next == "'" || next == "\"" {
            advance()
            return make(.string(try quotedString()))
        }
        if (char == "h" || char == "H"), peek(1) == "@", let next = peek(2), next == "'" || next == "\"" {
            advance()
            advance()
            return make(.string(try verbatimString()))
        }
        if char == "`", peek(1) == "`", peek(2) == "`" { return make(.string(try fencedString("`"))) }
        if char == "~", peek(1) == "~", peek(2) == "~" { return make(.string(try fencedString("~"))) }
        if char.isNumber && char.isASCII { return make(try number()) }
        if char == ".", let next = peek(1), next.isASCII, next.isNumber, !(index > 0 && chars[index - 1] == ".") {
            return make(try number())
        }
        if Self.isNameStart(char) { return make(try word()) }
        if char == "!", let next = peek(1), Self.isNameStart(next) {
            advance()
            let spelled: String
            switch try word() {
            case .identifier(let name): spelled = "!" + name
            case .operatorWord(let name): spelled = "!" + name
            default: throw error("an operator")
            }
            if spelled.hasSuffix("~") { return make(.operatorWord(spelled)) }
            var negated = spelled
            if peek() == "~" {
                advance()
                negated += "~"
            }
            return make(.operatorWord(negated))
        }
        for symbol in ["==", "!=", "<>", "<=", ">=", "=~", "!~", "..", "=>"] where matches(symbol) {
            for _ in symbol { advance() }
            return make(.symbol(symbol))
        }
        if "|()[]{},;.:=<>+-*/%?".contains(char) {
            advance()
            return make(.symbol(String(char)))
        }
        throw error("a token")
    }

    private func matches(_ symbol: String) -> Bool {
        for (offset, char) in symbol.enumerated() where peek(offset) != char { return false }
        return true
    }

    static func isNameStart(_ char: Character) -> Bool { char == "_" || char == "$" || (char.isLetter) }
    static func isNamePart(_ char: Character) -> Bool { char == "_" || char == "$" || char.isLetter || char.isNumber }

    private mutating func word() throws -> Token.Kind {
        var name = ""
        while let char = peek(), Self.isNamePart(char) {
            name.append(char)
            advance()
        }
        // The longest dashed spelling that is a known word (graph-shortest-paths has two dashes).
        var offset = 0
        var candidate = name
        var matched = 0
        while peek(offset) == "-", let next = peek(offset + 1), next.isLetter {
            offset += 1
            candidate += "-"
            while let c = peek(offset), Self.isNamePart(c) {
                candidate.append(c)
                offset += 1
            }
            if Self.dashedWords.contains(candidate) { matched = offset }
        }
        if matched > 0 {
            for _ in 0..<matched { advance() }
            name += String(candidate.dropFirst(name.count).prefix(matched))
        }
        // Query hints (`hint.strategy=shuffle`) are one word when an assignment follows; `hint.x == 1`
        // stays a dynamic access on a column named hint.
        if name == "hint", peek() == ".", let first = peek(1), first.isLetter {
            var offset = 1
            while let c = peek(offset), Self.isNamePart(c) { offset += 1 }
            var probe = offset
            while let c = peek(probe), c == " " || c == "\t" { probe += 1 }
            if peek(probe) == "=", peek(probe + 1) != "=" {
                for _ in 0..<offset {
                    name.append(peek()!)
                    advance()
                }
            }
        }
        if (name == "in" || name == "has_any" || name == "has_all") && peek() == "~" {
            advance()
            return .operatorWord(name + "~")
        }
        if Self.typedLiteralNames.contains(name) {
            var offset = 0
            while let c = peek(offset), c.isWhitespace { offset += 1 }
            if peek(offset) == "(" {
                for _ in 0...offset { advance() }
                var depth = 1
                var raw = ""
                while let c = peek() {
                    advance()
                    if c == "(" { depth += 1 }
                    if c == ")" {
                        depth -= 1
                        if depth == 0 { return .typed(name: name, raw: raw.trimmingSpaces) }
                    }
                    raw.append(c)
                }
                throw error("')' closing \(name)(")
            }
        }
        return .identifier(name)
    }

    private mutating func number() throws -> Token.Kind {
        var text = ""
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            advance()
            advance()
            while let c = peek(), c.isHexDigit {
                text.append(c)
                advance()
            }
            guard let value = UInt64(text, radix: 16) else { throw error("hexadecimal digits") }
            return .long(Int64(bitPattern: value))
        }
        var isReal = false
        while let c = peek(), c.isASCII, c.isNumber {
            text.append(c)
            advance()
        }
        if peek() == ".", peek(1) != "." {
            isReal = true
            text.append(".")
            advance()
            while let c = peek(), c.isASCII, c.isNumber {
                text.append(c)
                advance()
            }
        }
        if let e = peek(), e == "e" || e == "E" {
            var offset = 1
            if let sign = peek(1), sign == "+" || sign == "-" { offset = 2 }
            if let d = peek(offset), d.isASCII, d.isNumber {
                isReal = true
                for _ in 0..<offset {
                    text.append(peek()!)
                    advance()
                }
                while let c = peek(), c.isASCII, c.isNumber {
                    text.append(c)
                    advance()
                }
            }
        }
        if let c = peek(), c.isLetter {
            var unit = ""
            var offset = 0
            while let u = peek(offset), u.isLetter {
                unit.append(u)
                offset += 1
            }
            if let ticksPerUnit = Self.timespanUnits[unit], let amount = Double(text) {
                // A literal beyond the timespan range is a syntax error, not a trap.
                guard let ticks = Int64(exactly: (amount * Double(ticksPerUnit)).rounded()) else {
                    throw error("a timespan within the range of 64-bit ticks")
                }
                for _ in 0..<offset { advance() }
                return .timespan(ticks)
            }
            throw error("a number or timespan unit (d, h, m, s, ms, microsecond, tick)")
        }
        if isReal {
            guard let value = Double(text.hasPrefix(".") ? "0" + text : text) else { throw error("a number") }
            return .real(value)
        }
        guard let value = Int64(text) else {
            if text == "9223372036854775808" { return .longMinMagnitude }
            guard let real = Double(text) else { throw error("a number") }
            return .real(real)
        }
        return .long(value)
    }

    /// Ticks per timespan literal unit.
    static let timespanUnits: [String: Int64] = {
        var units: [String: Int64] = [:]
        for name in ["d", "day", "days"] { units[name] = 864_000_000_000 }
        for name in ["h", "hr", "hrs", "hour", "hours"] { units[name] = 36_000_000_000 }
        for name in ["m", "min", "minute", "minutes"] { units[name] = 600_000_000 }
        for name in ["s", "sec", "second", "seconds"] { units[name] = 10_000_000 }
        for name in ["ms", "milli", "millis", "millisecond", "milliseconds"] { units[name] = 10_000 }
        for name in ["microsecond", "microseconds"] { units[name] = 10 }
        for name in ["tick", "ticks"] { units[name] = 1 }
        return units
    }()

    private mutating func quotedString() throws -> String {
        let quote = peek()!
        let start = (line, column)
        advance()
        var text = ""
        while let c = peek() {
            if Self.endsLine(c) { break }
            advance()
            if c == quote { return text }
            if c == "\\" {
                guard let escaped = peek(), !Self.endsLine(escaped) else { break }
                advance()
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "a": text.append("\u{07}")
                case "b": text.append("\u{08}")
                case "f": text.append("\u{0C}")
                case "v": text.append("\u{0B}")
                case "\\", "'", "\"": text.append(escaped)
                case "x", "U":
                    // \x41 (two hex digits) and \U0001F600 (eight), as Kusto's parser decodes them.
                    let code = try hexDigits(escaped == "x" ? 2 : 8, after: escaped)
                    guard let scalar = Unicode.Scalar(code) else {
                        throw KQLError.unsupported("the escape \\\(escaped) of a surrogate or beyond U+10FFFF")
                    }
                    text.unicodeScalars.append(scalar)
                case "0"..."7":
                    text.unicodeScalars.append(try octalEscape(first: escaped))
                case "u":
                    var hex = ""
                    for _ in 0..<4 {
                        // ASCII only: Character.isHexDigit also accepts fullwidth digits, which
                        // UInt32(_:radix:) rejects.
                        guard let h = peek(), h.isASCII, h.isHexDigit else {
                            throw error("four hex digits after \\u")
                        }
                        hex.append(h)
                        advance()
                    }
                    let unit = UInt32(hex, radix: 16)!
                    if (0xD800..<0xDC00).contains(unit), let low = lowSurrogateEscape() {
                        // A UTF-16 surrogate pair (\ud83d\ude00) is one character, as in .NET strings.
                        text.unicodeScalars.append(Unicode.Scalar(0x10000 + (unit - 0xD800) << 10 + (low - 0xDC00))!)
                    } else if let scalar = Unicode.Scalar(unit) {
                        text.unicodeScalars.append(scalar)
                    } else {
                        // .NET keeps half a surrogate pair in a string; a Swift string cannot.
                        throw KQLError.unsupported("the escape \\u\(hex), half of a surrogate pair")
                    }
                default:
                    // Kusto's parser knows no other escape: the string does not end there.
                    throw error("an escape (\\n, \\t, \\', \\\", \\\\, \\uXXXX, \\xXX, an octal code, ...) after \\")
                }
            } else {
                text.append(c)
            }
        }
        throw unterminated(quote, startingAt: start)
    }

    /// The value of `count` ASCII hex digits after the escape `\\<letter>`.
    private mutating func hexDigits(_ count: Int, after letter: Character) throws -> UInt32 {
        var hex = ""
        for _ in 0..<count {
            guard let digit = peek(), digit.isASCII, digit.isHexDigit else {
                throw error("\(count) hex digits after \\\(letter)")
            }
            hex.append(digit)
            advance()
        }
        return UInt32(hex, radix: 16)!
    }

    /// An octal escape after its first digit: up to three octal digits, the third only after a
    /// first digit of 0 to 3 (Kusto's parser's rule), so the value fits in a byte.
    private mutating func octalEscape(first: Character) throws -> Unicode.Scalar {
        var value = UInt32(first.asciiValue! - 48)
        var length = 1
        while length < 3, let digit = peek(), ("0"..."7").contains(digit), length < 2 || first <= "3" {
            value = value * 8 + UInt32(digit.asciiValue! - 48)
            advance()
            length += 1
        }
        // Kusto's decoder reads up to three digits of any kind where its scanner stopped earlier;
        // which of the two the service follows is not known.
        if length < 3, let next = peek(), next.isASCII, next.isNumber {
            throw KQLError.unsupported("the octal escape \\\(first) followed by the digit \(next) in a string")
        }
        return Unicode.Scalar(value)!
    }

    /// A string whose closing quote is missing, reported where the string starts.
    private func unterminated(_ quote: Character, startingAt start: (line: Int, column: Int)) -> KQLError {
        .syntax(
            line: start.line, column: start.column, expected: "\(quote) closing the string that starts here",
            found: peek() == nil ? "the end of the query" : "the end of the line")
    }

    /// Reads `\\uDC00`…`\\uDFFF` (the second half of a surrogate pair) if it comes next.
    private mutating func lowSurrogateEscape() -> UInt32? {
        guard peek() == "\\", peek(1) == "u" else { return nil }
        var hex = ""
        for offset in 2..<6 {
            guard let h = peek(offset), h.isASCII, h.isHexDigit else { return nil }
            hex.append(h)
        }
        guard let unit = UInt32(hex, radix: 16), (0xDC00..<0xE000).contains(unit) else { return nil }
        for _ in 0..<6 { advance() }
        return unit
    }

    private mutating func verbatimString() throws -> String {
        let quote = peek()!
        let start = (line, column)
        advance()
        var text = ""
        while let c = peek() {
            if Self.endsLine(c) { break }
            advance()
            if c == quote {
                if peek() == quote {
                    text.append(quote)
                    advance()
                    continue
                }
                return text
            }
            text.append(c)
        }
        throw unterminated(quote, startingAt: start)
    }

    private mutating func fencedString(_ fence: Character) throws -> String {
        for _ in 0..<3 { advance() }
        var text = ""
        while peek() != nil {
            if peek() == fence, peek(1) == fence, peek(2) == fence {
                for _ in 0..<3 { advance() }
                return text
            }
            text.append(peek()!)
            advance()
        }
        throw error("\(fence)\(fence)\(fence) closing the string")
    }
}

extension String {
    /// The text without leading and trailing whitespace.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
