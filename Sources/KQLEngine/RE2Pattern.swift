/// Rewrites a regular expression written in RE2 syntax (the syntax KQL uses) into the ICU syntax that
/// Foundation's `NSRegularExpression` runs, so that the match is the one RE2 would find.

enum RE2Pattern {
    /// RE2's `\w` (and the characters `\b` looks at): ASCII only, where ICU's is Unicode.
    static let word = "0-9A-Za-z_"
    static let digit = "0-9"
    /// RE2's `\s`: tab, newline, form feed, carriage return and space (not \v, not Unicode spaces).
    static let space = "\\t\\n\\f\\r "

    /// The ICU pattern that matches what `pattern` matches under RE2.
    ///
    /// The differences taken care of: `\d`, `\w`, `\s` and `\b` are ASCII in RE2 (`"café"` has no
    /// `^\w+$` match); `$` without the `m` flag matches only at the very end of the text (not before
    /// a final newline); `{` that does not start a repetition is a literal; `[` and `&` inside a
    /// class are literals, and so is a `-` after a class like `\d` or after a range; under the `i`
    /// flag RE2 folds case one character to one (ICU would let `ß` match `ss`); named groups may
    /// have any word-character name. `.` matching all but `\n` needs the `useUnixLineSeparators`
    /// option. What RE2 lacks (lookaround, backreferences, atomic groups, possessive repetition)
    /// and what ICU would read differently (POSIX classes, flags other than i, m, s) is refused.
    static func icu(_ pattern: String) throws -> String {
        let chars = Array(pattern.unicodeScalars)
        var output = ""
        var index = 0
        var inClass = false
        var classStart = false
        // Inside a class: the last item was one character, so a '-' after it makes a range.
        var rangeStart = false
        // Inside a class: a '-' has just made a range, so the next character ends it.
        var rangeEnd = false
        var multiline = false
        // ICU folds a literal fully under (?i) ("ß" matches "ss") but a class simply, as RE2 does;
        // so where the flag may be on, every literal outside a class goes in a class of its own.
        let foldsCase = mayFoldCase(chars)
        func unsupported(_ what: String) -> KQLError {
            KQLError.unsupported("\(what) in the regular expression '\(pattern)' (RE2 syntax)")
        }
        func at(_ offset: Int) -> Unicode.Scalar? {
            index + offset < chars.count ? chars[index + offset] : nil
        }
        // One character, written as ICU reads it.
        func single(_ text: String) {
            if inClass {
                output += text
                rangeStart = !rangeEnd
                rangeEnd = false
            } else {
                output += foldsCase ? "[\(text)]" : text
            }
        }
        // A class like \d inside or outside a class; a '-' after it is a literal in RE2.
        func set(_ text: String) {
            output += text
            rangeStart = false
            rangeEnd = false
        }
        while index < chars.count {
            let char = chars[index]
            if char == "\\" {
                guard let next = at(1) else {
                    output.unicodeScalars.append(char)
                    break
                }
                switch next {
                case "Q":
                    // A quoted run, up to \E or the end: each character a literal.
                    var end = index + 2
                    while end + 1 < chars.count, !(chars[end] == "\\" && chars[end + 1] == "E") {
                        end += 1
                    }
                    if end + 1 >= chars.count { end = chars.count }
                    for quoted in chars[(index + 2)..<end] { single(hex(quoted)) }
                    index = min(end + 2, chars.count)
                    classStart = false
                    continue
                case "d", "w", "s", "D", "W", "S":
                    let members =
                        "dD".unicodeScalars.contains(next) ? digit : ("wW".unicodeScalars.contains(next) ? word : space)
                    let negated = "DWS".unicodeScalars.contains(next)
                    set(inClass && !negated ? members : "[\(negated ? "^" : "")\(members)]")
                case "p", "P":
                    // \pL, \p{Greek}, \PN: ICU wants the braces around a one-letter name.
                    var name = String.UnicodeScalarView()
                    var end = index + 2
                    if at(2) == "{" {
                        end += 1
                        while end < chars.count, chars[end] != "}" {
                            name.append(chars[end])
                            end += 1
                        }
                        guard end < chars.count else { throw unsupported("an unclosed '\\\(next){'") }
                    } else if let letter = at(2) {
                        name.append(letter)
                    } else {
                        throw unsupported("'\\\(next)' without a class name")
                    }
                    set("\\\(next){\(String(name))}")
                    index = end + 1
                    classStart = false
                    continue
                case "x":
                    // \x41 or \x{10FFFF}.
                    var end = index + 2
                    var digits: ArraySlice<Unicode.Scalar>
                    if at(2) == "{" {
                        while end < chars.count, chars[end] != "}" { end += 1 }
                        digits = chars[min(index + 3, end)..<end]
                        end += 1
                    } else {
                        end = min(index + 4, chars.count)
                        digits = chars[(index + 2)..<end]
                    }
                    let text = String(String.UnicodeScalarView(digits))
                    guard end <= chars.count, let value = UInt32(text, radix: 16),
                        let scalar = Unicode.Scalar(value)
                    else { throw unsupported("the escape '\\x\(text)'") }
                    single(hex(scalar))
                    index = end
                    classStart = false
                    continue
                case "b", "B":
                    guard !inClass else { throw unsupported("'\\\(next)' inside a character class") }
                    let before = "(?<=[\(word)])"
                    let notBefore = "(?<![\(word)])"
                    let after = "(?=[\(word)])"
                    let notAfter = "(?![\(word)])"
                    output +=
                        next == "b"
                        ? "(?:\(before)\(notAfter)|\(notBefore)\(after))"
                        : "(?:\(before)\(after)|\(notBefore)\(notAfter))"
                case "1", "2", "3", "4", "5", "6", "7", "8", "9":
                    throw unsupported("the backreference '\\\(next)'")
                case "v":
                    // RE2's \v is the vertical tab alone; ICU's is every vertical space.
                    single("\\x{b}")
                case "Z", "C", "G", "X", "R", "h", "H", "V", "k", "K", "N", "e", "c", "u", "U", "0":
                    throw unsupported("the escape '\\\(next)'")
                case "A", "z":
                    output += "\\\(next)"
                case "a", "f", "n", "r", "t":
                    single("\\\(next)")
                default:
                    // An escaped ASCII punctuation character stands for itself.
                    guard next.isASCII, !next.properties.isAlphabetic, next.properties.numericType == nil,
                        next != "_"
                    else {
                        throw unsupported("the escape '\\\(next)'")
                    }
                    single(hex(next))
                }
                index += 2
                classStart = false
                continue
            }
            if inClass {
                switch char {
                case "]" where !classStart:
                    inClass = false
                    output += "]"
                case "[":
                    if at(1) == ":" { throw unsupported("a POSIX character class") }
                    single(hex(char))
                case "-" where at(1) == "-": throw unsupported("'--' inside a character class")
                case "-" where rangeStart && at(1) != "]":
                    output += "-"
                    rangeStart = false
                    rangeEnd = true
                case "]", "&", "-", "^", "{", "}", "$": single(hex(char))
                default: single(String(char))
                }
                classStart = false
                index += 1
                continue
            }
            switch char {
            case "[":
                inClass = true
                classStart = true
                rangeStart = false
                rangeEnd = false
                output += "["
                index += 1
                if at(0) == "^" {
                    output += "^"
                    index += 1
                }
                continue
            case "$":
                output += multiline ? "$" : "\\z"
            case "{":
                // A repetition is {n}, {n,} or {n,m}; any other brace is a literal in RE2.
                var end = index + 1
                while end < chars.count, ("0"..."9").contains(chars[end]) { end += 1 }
                var isRepetition = end > index + 1
                if isRepetition, end < chars.count, chars[end] == "," {
                    end += 1
                    while end < chars.count, ("0"..."9").contains(chars[end]) { end += 1 }
                }
                isRepetition = isRepetition && end < chars.count && chars[end] == "}"
                guard isRepetition else {
                    single(hex(char))
                    break
                }
                output.unicodeScalars.append(contentsOf: chars[index...end])
                index = end + 1
                if at(0) == "+" { throw unsupported("possessive repetition") }
                continue
            case "}":
                single(hex(char))
            case "*", "+", "?":
                output.unicodeScalars.append(char)
                if at(1) == "+" { throw unsupported("possessive repetition") }
            case "(":
                guard at(1) == "?" else {
                    output += "("
                    break
                }
                switch at(2) {
                case ":":
                    output += "(?:"
                    index += 3
                    continue
                case "P" where at(3) == "<", "<" where at(3) != "=" && at(3) != "!":
                    // A named group: the engine reads groups by number, and ICU's names are
                    // narrower than RE2's (no '_'), so the group is kept without its name.
                    var end = index + (at(2) == "P" ? 4 : 3)
                    while end < chars.count, chars[end] != ">" { end += 1 }
                    guard end < chars.count else { throw unsupported("an unclosed group name") }
                    output += "("
                    index = end + 1
                    continue
                default:
                    // Flags: (?flags) or (?flags:re), flags among i, m, s and '-'.
                    var end = index + 2
                    var flags = ""
                    while end < chars.count, chars[end] != ")", chars[end] != ":" {
                        flags.unicodeScalars.append(chars[end])
                        end += 1
                    }
                    guard end < chars.count, !flags.isEmpty, flags.allSatisfy({ "ims-".contains($0) })
                    else {
                        throw unsupported(groupName(flags))
                    }
                    if flags.contains("m") {
                        guard index == 0, chars[end] == ")", !flags.contains("-") else {
                            throw unsupported("the m flag anywhere but at the start")
                        }
                        multiline = true
                    }
                    output.unicodeScalars.append(contentsOf: chars[index...end])
                    index = end + 1
                    continue
                }
            case "^", ".", "|", ")":
                output.unicodeScalars.append(char)
            default:
                single(String(char))
            }
            index += 1
        }
        return output
    }

    /// The `NSRegularExpression` template for an RE2 rewrite string (`replace_regex()`'s third
    /// argument): `\0` to `\9` are the match and its groups, `\\` is a backslash, and every
    /// other character, `$` included, stands for itself.
    ///
    /// RE2 rejects any other backslash and a group the pattern does not have; what Kusto answers
    /// then is not known, so these are refused.
    static func template(_ rewrite: String, groups: Int) throws -> String {
        var output = ""
        var scalars = rewrite.unicodeScalars.makeIterator()
        while let char = scalars.next() {
            guard char == "\\" else {
                if char == "$" || ("0"..."9").contains(char) { output += "\\" }
                output.unicodeScalars.append(char)
                continue
            }
            let next = scalars.next()
            if next == "\\" {
                output += "\\\\"
            } else if let next, let group = Int(String(next)), group <= groups {
                output += "$\(group)"
            } else {
                let escape = next.map { "\\\($0)" } ?? "\\"
                throw KQLError.unsupported(
                    "the rewrite '\(rewrite)' of replace_regex() ('\(escape)' is not \\0 to \\\(groups) or \\\\)")
            }
        }
        return output
    }

    /// A character as an ICU hexadecimal escape, literal wherever it stands.
    private static func hex(_ scalar: Unicode.Scalar) -> String {
        "\\x{\(String(scalar.value, radix: 16))}"
    }

    /// Whether the pattern may turn the `i` flag on: a `(?` whose flags include `i`.
    private static func mayFoldCase(_ chars: [Unicode.Scalar]) -> Bool {
        for start in chars.indices where chars[start] == "(" && start + 1 < chars.count {
            guard chars[start + 1] == "?" else { continue }
            for char in chars[(start + 2)...] {
                if char == "i" { return true }
                if !"ms-".unicodeScalars.contains(char) { break }
            }
        }
        return false
    }

    /// What a `(?...` group RE2 does not have is called in an error message.
    private static func groupName(_ rest: String) -> String {
        if rest.hasPrefix("=") || rest.hasPrefix("!") { return "lookahead" }
        if rest.hasPrefix("<=") || rest.hasPrefix("<!") { return "lookbehind" }
        if rest.hasPrefix(">") { return "an atomic group" }
        if rest.hasPrefix("#") { return "a comment group" }
        if rest.hasPrefix("P=") || rest.hasPrefix("P>") { return "a named backreference" }
        return "the group flags '\(rest.prefix(while: { $0 != ")" && $0 != ":" }))'"
    }
}
