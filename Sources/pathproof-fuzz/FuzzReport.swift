/// Output helpers of the fuzzer: notes on stderr, the final result line, input previews.

import Foundation

/// How the fuzzer reports: progress and findings on stderr, one machine-readable line on stdout.
enum FuzzReport {
    /// Writes one line to stderr.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A short stable name for an input: FNV-1a 64 in hex.
    static func digest(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// The first bytes of an input with non-printable bytes escaped, for a log line.
    static func preview(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes.prefix(300) {
            if byte >= 0x20 && byte < 0x7F && byte != 0x5C {
                text.append(Character(UnicodeScalar(byte)))
            } else {
                text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return text
    }

    /// Peak resident set size of this process so far, in kilobytes (getrusage maxrss).
    static func peakRSSKilobytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss)
    }
}
