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
    /// class are literals. `.` matching all but `\n` needs the `useUnixLineSeparators` option.
    /// What RE2 lacks (lookaround, backreferences, atomic groups, possessive repetition) and what
    /// ICU would read differently (POSIX classes, flags other than i, m, s) is refused.
    static func icu(_ pattern: String) throws -> String {
        let chars = Array(pattern.unicodeScalars)
        var output = ""
        var index = 0
        var inClass = false
        var classStart = false
        var multiline = false
        func unsupported(_ what: String) -> KQLError {
            KQLError.unsupported("\(what) in the regular expression '\(pattern)' (RE2 syntax)")
        }
        func at(_ offset: Int) -> Unicode.Scalar? {
            index + offset < chars.count ? chars[index + offset] : nil
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
                    // A quoted run is copied as it is up to \E (or the end).
                    var end = index + 2
                    while end + 1 < chars.count, !(chars[end] == "\\" && chars[end + 1] == "E") { end += 1 }
                    if end + 1 >= chars.count { end = chars.count }
                    let stop = min(end + 2, chars.count)
                    output.unicodeScalars.append(contentsOf: chars[index..<stop])
                    index = stop
                    classStart = false
                    continue
                case "d", "w", "s":
                    let members = next == "d" ? digit : (next == "w" ? word : space)
                    output += inClass ? members : "[\(members)]"
                case "D", "W", "S":
                    let members = next == "D" ? digit : (next == "W" ? word : space)
                    output += "[^\(members)]"
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
                    output += "\\x0B"
                case "Z", "C", "G", "X", "R", "h", "H", "V", "k", "K", "N", "e", "c", "u", "U", "0":
                    throw unsupported("the escape '\\\(next)'")
                default:
                    output.unicodeScalars.append(char)
                    output.unicodeScalars.append(next)
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
                case "]": output += "\\]"
                case "[":
                    if at(1) == ":" { throw unsupported("a POSIX character class") }
                    output += "\\["
                case "&": output += "\\&"
                case "-" where at(1) == "-": throw unsupported("'--' inside a character class")
                default: output.unicodeScalars.append(char)
                }
                classStart = false
                index += 1
                continue
            }
            switch char {
            case "[":
                inClass = true
                classStart = true
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
                    output += "\\{"
                    break
                }
                output.unicodeScalars.append(contentsOf: chars[index...end])
                index = end + 1
                if at(0) == "+" { throw unsupported("possessive repetition") }
                continue
            case "}":
                output += "\\}"
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
                case "P" where at(3) == "<":
                    output += "(?<"
                    index += 4
                    continue
                case "<" where at(3) != "=" && at(3) != "!":
                    output += "(?<"
                    index += 3
                    continue
                default:
                    // Flags: (?flags) or (?flags:re), flags among i, m, s and '-'.
                    var end = index + 2
                    var flags = ""
                    while end < chars.count, chars[end] != ")", chars[end] != ":" {
                        flags.unicodeScalars.append(chars[end])
                        end += 1
                    }
                    guard end < chars.count, !flags.isEmpty, flags.allSatisfy({ "ims-".contains($0) }) else {
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
            default:
                output.unicodeScalars.append(char)
            }
            index += 1
        }
        return output
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
