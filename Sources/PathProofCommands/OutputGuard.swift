/// Keeps log text that PathProof prints from acting as a CI command or a terminal control sequence.
///
/// CI runners read every line a step prints: GitHub Actions takes a line starting with `::` as a
/// workflow command, the Azure Pipelines agent takes `##vso[` anywhere in a line as a logging
/// command and `##[` at its start as formatting. Text written by whoever calls a vault
/// (correlation ids, request URIs, claims) reaches the text summary and late findings, so every
/// printed line passes through here: control characters are shown escaped (`\r`, `\n`, `\u{1B}`),
/// `##vso[` (in any case) becomes `##vso\[`, and a line that would start a command gets a leading backslash.
/// JSON printed for other tools keeps its meaning instead: `OutputGuard.json` writes the `[` of
/// `##vso[` as the JSON escape `\u005b`, which every JSON reader decodes back to `[`.

/// Neutralises untrusted text for standard output.
enum OutputGuard {
    /// One line: no control character survives, so it stays one line, and it cannot start a command.
    static func line(_ text: String) -> String {
        var output = breakingVSOCommands(controlsEscaped(text))
        let start = output.drop { $0 == " " || $0 == "\t" }
        if start.hasPrefix("::") || start.hasPrefix("##[") { output = "\\" + output }
        return output
    }

    /// `text` with every control character written out: `\n`, `\r`, `\t` (with `escapingTabs`;
    /// otherwise a tab stays) and `\u{1B}` for the rest, so that it stays on one line.
    static func controlsEscaped(_ text: String, escapingTabs: Bool = false) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: if escapingTabs { output += "\\t" } else { output.unicodeScalars.append(scalar) }
            case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029:
                output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// `text` with a backslash before the `[` of every `##vso[`, the letters in any case.
    private static func breakingVSOCommands(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "[") && endsWithVSO(output) { output.append(UInt8(ascii: "\\")) }
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Several lines: each line (split at LF) guarded on its own; a final newline is kept.
    static func text(_ text: String) -> String {
        let endsWithNewline = text.unicodeScalars.last == "\n"
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line(String(String.UnicodeScalarView($0))) }
        if endsWithNewline { lines.removeLast() }
        return lines.joined(separator: "\n") + (endsWithNewline ? "\n" : "")
    }

    /// JSON text with every `##vso[` (any case) written `##vso\u005b`, and the `:` of a line-leading
    /// `::` written `\u003a`, so no CI runner takes a line of it as a command.
    ///
    /// The result parses to the same value as `text`: `##vso[` can only occur inside a JSON string
    /// (no token outside one contains `#`), where `\u005b` means `[`. Valid JSON never has `::` at
    /// the start of a line, so the second rewrite only guards text that was not JSON to begin with.
    static func json(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var lineStart = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "[") && endsWithVSO(output) {
                output += Array(#"\u005b"#.utf8)
                continue
            }
            if byte == UInt8(ascii: ":") && lineStart && output.last == UInt8(ascii: ":") {
                output.removeLast()
                output += Array(#"\u003a:"#.utf8)
                lineStart = false
                continue
            }
            output.append(byte)
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): lineStart = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ":"): break
            default: lineStart = false
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `bytes` ends with `##vso`, the letters in any case (the agent matches it so).
    private static func endsWithVSO(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 5 else { return false }
        let tail = bytes.suffix(5).map { $0 | 0x20 }
        return tail == Array("##vso".utf8).map { $0 | 0x20 }
    }
}
