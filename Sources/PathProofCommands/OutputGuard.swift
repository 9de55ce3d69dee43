/// Keeps log text that PathProof prints from acting as a CI command or a terminal control sequence.
///
/// CI runners read every line a step prints: GitHub Actions takes a line starting with `::` as a
/// workflow command, the Azure Pipelines agent takes `##vso[` anywhere in a line as a logging
/// command and `##[` at its start as formatting. Text written by whoever calls a vault
/// (correlation ids, request URIs, claims) reaches the text summary and late findings, so every
/// printed line passes through here: control characters are shown escaped (`\r`, `\n`, `\u{1B}`),
/// `##vso[` becomes `##vso\[`, and a line that would start a command gets a leading backslash.

/// Neutralises untrusted text for standard output.
enum OutputGuard {
    /// One line: no control character survives, so it stays one line, and it cannot start a command.
    static func line(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output.unicodeScalars.append(scalar)
            case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029:
                output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        output = output.replacingOccurrences(of: "##vso[", with: "##vso\\[")
        let start = output.drop { $0 == " " || $0 == "\t" }
        if start.hasPrefix("::") || start.hasPrefix("##[") { output = "\\" + output }
        return output
    }

    /// Several lines: each line (split at LF) guarded on its own; a final newline is kept.
    static func text(_ text: String) -> String {
        let endsWithNewline = text.unicodeScalars.last == "\n"
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line(String(String.UnicodeScalarView($0))) }
        if endsWithNewline { lines.removeLast() }
        return lines.joined(separator: "\n") + (endsWithNewline ? "\n" : "")
    }
}
