/// One archived item (a leaf of the log) and the facts stored next to it.

import Foundation

/// What is stored next to a leaf to find it again; none of it is part of the leaf hash.
public struct ArchiveMetadata: Sendable, Equatable {
    /// What the leaf is: `report` for a signed verdict report; other kinds for other signed records.
    public var kind: String
    /// The run that produced the report.
    public var runID: String?
    /// The report's verdict (PROVEN, VIOLATED, UNPROVEN).
    public var verdict: String?
    /// Start of the evidence window, RFC 3339 UTC.
    public var windowStart: String?
    /// End of the evidence window, RFC 3339 UTC.
    public var windowEnd: String?
    /// When the leaf was appended, RFC 3339 UTC; now when not given.
    public var appendedAt: String

    public init(
        kind: String = "report", runID: String? = nil, verdict: String? = nil,
        windowStart: String? = nil,
        windowEnd: String? = nil, appendedAt: String? = nil
    ) {
        self.kind = kind
        self.runID = runID
        self.verdict = verdict
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.appendedAt = appendedAt ?? Self.now()
    }

    /// The current time as RFC 3339 UTC with seconds, e.g. `2026-12-03T17:05:00Z`.
    public static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

/// One leaf of the archive: the exact envelope bytes, the report they sign, and where they sit.
public struct ArchiveEntry: Sendable, Equatable {
    /// 0-based position in the log.
    public var index: Int
    /// SHA-256(0x00 ‖ envelope): the RFC 6962 leaf hash.
    public var leafHash: [UInt8]
    /// The DSSE envelope bytes exactly as appended (the leaf data).
    public var envelope: [UInt8]
    /// The report the envelope's Statement names as a subject (empty when none was stored).
    public var report: [UInt8]
    /// The facts stored with the leaf.
    public var metadata: ArchiveMetadata
}

/// One raw query result stored with a leaf: a file the leaf's signed Statement names as a subject.
public struct ArchivedResult: Sendable, Equatable {
    /// The subject name, a relative path such as `results/keyvault-key-access.json`.
    public var name: String
    /// The exact bytes of the file.
    public var content: [UInt8]

    public init(name: String, content: [UInt8]) {
        self.name = name
        self.content = content
    }

    /// Whether `name` is safe to use as a relative path: `results/` then letters, digits, `.`, `-`
    /// and `_`, not starting with a dot (so never `..` and never a directory change).
    public static func isSafeName(_ name: String) -> Bool {
        let prefix = "results/"
        guard name.hasPrefix(prefix) else { return false }
        let file = name.dropFirst(prefix.count)
        guard !file.isEmpty, file.count <= 200, !file.hasPrefix(".") else { return false }
        return file.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "." || scalar == "-" || scalar == "_"
        }
    }

    /// The subject-name prefix of raw result files.
    public static let namePrefix = "results/"
}
