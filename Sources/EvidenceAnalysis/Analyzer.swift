/// The evidence analyzer: turns audit rows and a proof policy into a verdict with its reasons.

import TableModel

/// Decides whether every key access in scope took the path the policy expects.
///
/// An *access* is an in-scope operation on an in-scope vault (and key, when the policy names
/// keys), inside the window, answered with HTTP 2xx. `ResultType` is never used: Key Vault writes
/// `Success` for 403s. Each access must carry a perimeter claim that parses to a non-empty list of
/// expected perimeter GUIDs and an `xms_mirid` naming an expected enterprise policy; when the
/// policy says so, also an accepted route and the pinned object id.
///
/// Evidence rules: a violation is only claimed from a column that exists; a column the source lacks
/// makes the facts it carries undecided (UNPROVEN). The same event seen twice (two sinks, both
/// schemas, redelivery) counts once. See `Report` for verdict precedence.
public struct Analyzer: Sendable {
    /// The validated policy.
    public let policy: ProofPolicy

    /// Creates an analyzer for `policy` (as returned by `ProofPolicy.load(path:)` or `validated()`).
    public init(policy: ProofPolicy) {
        self.policy = policy
    }

    /// Analyses `sources` over `window` as of `now`.
    ///
    /// - Parameters:
    ///   - sources: the tables the runner produced; see `EvidenceSource`.
    ///   - window: start (inclusive) and end (exclusive), UTC. When `nil`, the window runs from the
    ///     earliest key record to `now` minus the settle margin.
    ///   - now: the analysis time; a window ending later than `now` minus the settle margin is
    ///     not settled (records may still arrive) and cannot be PROVEN.
    public func analyze(sources: [EvidenceSource], window: (from: DateTime, to: DateTime)?, now: DateTime) -> Report {
        var run = AnalysisRun(policy: policy, now: now)
        return run.analyze(sources: sources, window: window)
    }
}
