/// The analyzer's report: the verdict, the accesses and every finding behind it, as stable JSON.

import Foundation
import TableModel

/// The answer to "did every key access take the private path the policy expects?".
public enum Verdict: String, Codable, Sendable {
    /// Every access in scope satisfied every rule, on complete evidence.
    case proven = "PROVEN"
    /// At least one access broke a rule (and no waiver covered it).
    case violated = "VIOLATED"
    /// The evidence cannot decide: nothing to prove, a needed column absent, incomplete data.
    case unproven = "UNPROVEN"
}

/// The result of one analysis.
///
/// Verdict precedence: a violation found on columns that exist is real, so VIOLATED wins over
/// incomplete evidence; the report then still lists every UNPROVEN reason. Without violations, any
/// UNPROVEN reason (including "no access to prove") gives UNPROVEN; only then can the verdict be
/// PROVEN. Every list is sorted, so the same evidence always encodes to the same bytes.
public struct Report: Codable, Sendable, Equatable {
    /// The verdict.
    public var verdict: Verdict
    /// Distinct accesses considered: in-scope operations on in-scope vaults and keys, inside the
    /// window, answered with HTTP 2xx, each event counted once.
    public var accesses: Int
    /// One entry per broken rule per access, not covered by a waiver.
    public var violations: [Violation]
    /// Violations a valid waiver covered; they do not count against the verdict.
    public var waivedViolations: [Violation]
    /// In-scope requests refused with 401 or 403: not accesses, never violations, shown for audit.
    public var blockedAttempts: [RefusedRequest]
    /// In-scope requests that failed otherwise (400, 404, 409, 429, 5xx…): not accesses.
    public var failedRequests: [RefusedRequest]
    /// Why the evidence cannot decide; non-empty means the verdict is not PROVEN.
    public var unprovenReasons: [String]
    /// Facts an auditor should know that do not change the verdict.
    public var notes: [String]
    /// The time window analysed.
    public var window: ReportWindow
    /// Counts by vault, operation, identity, route, outcome and decision.
    public var counts: ReportCounts
    /// Copies of events already counted (the same event from two sinks, schemas or redeliveries).
    public var duplicates: Int
    /// What each source contributed and lacked.
    public var sources: [SourceSummary]
    /// Logging coverage per vault in scope.
    public var coverage: [VaultCoverage]
    /// Every waiver of the policy: whether it applied, how often, whether it has expired.
    public var waivers: [WaiverUse]
    /// Each access and the rule that decided it.
    public var decisions: [AccessDecision]
    /// When the analysis ran (ISO 8601, UTC).
    public var generatedAt: String
    /// A digest of the policy file; the analyzer leaves it `nil` for the caller to fill.
    public var policyDigest: String?
    /// The policy file's path; the analyzer leaves it `nil` for the caller to fill.
    public var policyFile: String?

    /// The report as pretty JSON with sorted keys: identical evidence gives identical bytes.
    public var jsonData: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and lists cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// `jsonData` as text.
    public var jsonText: String { String(decoding: jsonData, as: UTF8.self) }
}

/// The window analysed; times are ISO 8601 UTC.
public struct ReportWindow: Codable, Sendable, Equatable {
    /// Start, inclusive.
    public var from: String
    /// End, exclusive.
    public var to: String
    /// Records before this instant are taken as settled (now minus the settle margin).
    public var settledBefore: String
    /// Whether the caller gave the window (otherwise it spans the evidence up to `settledBefore`).
    public var given: Bool
}

/// The fields of one audit event as the report shows them.
public struct EventFields: Codable, Sendable, Equatable {
    public var time: String
    public var sourceTable: String
    public var vault: String
    public var resourceId: String
    public var operation: String
    public var httpStatus: Int?
    public var resultType: String
    public var resultSignature: String
    public var resultDescription: String
    public var callerIp: String
    public var correlationId: String
    public var requestUri: String
    public var keyId: String
    public var enterprisePolicyClaim: String
    public var perimeterClaim: String
    public var objectId: String
    public var appId: String
    /// The route class and the rule that chose it.
    public var route: NetworkRoute
    public var routeRule: String
}

/// One broken rule of one access.
public struct Violation: Codable, Sendable, Equatable {
    /// The rule's stable name, such as `perimeter-claim-empty`.
    public var rule: ViolationRule
    /// What exactly was wrong, with the values involved.
    public var detail: String
    /// The offending event.
    public var record: EventFields
    /// The waiver that covered it, if any.
    public var waiver: String?
}

/// A refused or failed in-scope request.
public struct RefusedRequest: Codable, Sendable, Equatable {
    /// `firewall-refused` (evidence the firewall works), `cmk-identity-refused` (the enterprise
    /// policy's own identity was refused: a risk of environment lock-out), `authorization-refused`,
    /// `unauthenticated`, `cmk-request-failed` or `request-failed`.
    public var kind: String
    /// What the record says.
    public var detail: String
    /// The event.
    public var record: EventFields
}

/// Counts over the analysed requests; dictionary keys sort in the JSON.
public struct ReportCounts: Codable, Sendable, Equatable {
    /// Accesses per vault.
    public var byVault: [String: Int] = [:]
    /// Accesses per operation.
    public var byOperation: [String: Int] = [:]
    /// Accesses per identity (`xms_mirid`, or `oid:` + object id when there is none).
    public var byIdentity: [String: Int] = [:]
    /// Accesses per route.
    public var byRoute: [String: Int] = [:]
    /// In-scope requests per HTTP status (`"200"`, `"403"`, `"none"`).
    public var byOutcome: [String: Int] = [:]
    /// Accesses per decision (`proven`, `violated`, `waived`, `undecided`).
    public var byDecision: [String: Int] = [:]
    /// Accesses per table that served them.
    public var bySourceTable: [String: Int] = [:]
}

/// What one source contributed.
public struct SourceSummary: Codable, Sendable, Equatable {
    public var table: String
    public var role: EvidenceRole
    /// Rows handed in.
    public var rows: Int
    /// Rows with no readable `TimeGenerated` (not analysed).
    public var unreadableRows: Int
    /// Distinct accesses this source served (after removing duplicates).
    public var accesses: Int
    public var missingColumns: [String]
    public var incompleteReasons: [String]
    public var absentReason: String?
}

/// A span without any audit record from a vault.
public struct Silence: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var minutes: Int
}

/// Logging coverage of one vault in the window.
public struct VaultCoverage: Codable, Sendable, Equatable {
    public var vault: String
    /// Audit records of any operation seen in the window (signs of life).
    public var records: Int
    public var firstSeen: String?
    public var lastSeen: String?
    /// Silences longer than the policy's `maxSilenceMinutes`.
    public var silences: [Silence]
}

/// How one waiver of the policy was used.
public struct WaiverUse: Codable, Sendable, Equatable {
    public var id: String
    public var rule: String
    public var justification: String
    public var approver: String
    public var expires: String
    /// Whether it had expired at analysis time (then it covered nothing).
    public var expired: Bool
    /// Violations it covered.
    public var applied: Int
}

/// One access and how it was decided.
public struct AccessDecision: Codable, Sendable, Equatable {
    public var time: String
    public var vault: String
    public var operation: String
    public var sourceTable: String
    public var identity: String
    public var route: NetworkRoute
    public var routeRule: String
    /// `proven`, `violated`, `waived` or `undecided`.
    public var outcome: String
    /// The rules it broke (empty when proven or undecided).
    public var rules: [ViolationRule]
    /// The checks that decided, in words.
    public var explanation: String
}
