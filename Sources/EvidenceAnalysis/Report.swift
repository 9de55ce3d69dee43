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

    /// The process exit code for the verdict: 0 PROVEN, 1 VIOLATED, 2 UNPROVEN.
    public var exitCode: Int32 {
        switch self {
        case .proven: return 0
        case .violated: return 1
        case .unproven: return 2
        }
    }
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
    /// Per vault in scope, the network settings configuration events in the window showed.
    /// Always written by this version; `nil` only when decoding a report written before it.
    public var configuration: [VaultConfiguration]?
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
    /// `TimeGenerated`, ISO 8601 UTC.
    public var time: String
    /// The table that served the event.
    public var sourceTable: String
    /// The vault name as logged.
    public var vault: String
    /// The vault ARM id, upper case.
    public var resourceId: String
    /// `OperationName`.
    public var operation: String
    /// The HTTP status; absent when the record has none.
    public var httpStatus: Int?
    /// `ResultType` as logged (never used to decide).
    public var resultType: String
    /// `ResultSignature` as logged.
    public var resultSignature: String
    /// `ResultDescription` as logged.
    public var resultDescription: String
    /// The caller's IP address as logged.
    public var callerIp: String
    /// `CorrelationId`, lower case.
    public var correlationId: String
    /// The request URI.
    public var requestUri: String
    /// The key id.
    public var keyId: String
    /// The `xms_mirid` claim as logged.
    public var enterprisePolicyClaim: String
    /// The `xms_az_nwperimid` claim as logged.
    public var perimeterClaim: String
    /// The caller's object id, lower case.
    public var objectId: String
    /// The caller's application id, lower case.
    public var appId: String
    /// The route class and the rule that chose it.
    public var route: NetworkRoute
    /// The field and value that decided the route.
    public var routeRule: String
    /// The tenant the token names (`tid`, else the tenant in `iss`); absent when it names none.
    public var callerTenant: String?
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
    /// The source table.
    public var table: String
    /// What its rows are.
    public var role: EvidenceRole
    /// Rows handed in.
    public var rows: Int
    /// Rows with no readable `TimeGenerated` (not analysed).
    public var unreadableRows: Int
    /// Distinct accesses this source served (after removing duplicates).
    public var accesses: Int
    /// The runner's list of absent columns, sorted.
    public var missingColumns: [String]
    /// The runner's reasons the rows may be incomplete.
    public var incompleteReasons: [String]
    /// Why the table does not exist, when it does not.
    public var absentReason: String?
}

/// A span without any audit record from a vault.
public struct Silence: Codable, Sendable, Equatable {
    /// The last sign of life before the silence (or the window's start).
    public var from: String
    /// The next sign of life (or the window's end).
    public var to: String
    /// Its length in whole minutes.
    public var minutes: Int
}

/// Logging coverage of one vault in the window.
public struct VaultCoverage: Codable, Sendable, Equatable {
    /// The vault name, lower case.
    public var vault: String
    /// Audit records of any operation seen in the window (signs of life).
    public var records: Int
    /// The first sign of life in the window.
    public var firstSeen: String?
    /// The last sign of life in the window.
    public var lastSeen: String?
    /// Silences longer than the policy's `maxSilenceMinutes`.
    public var silences: [Silence]
    /// The window cut into hour buckets (the last one may be partial).
    public var hourBuckets: Int
    /// Hour buckets holding at least one audit record of the vault.
    public var hourBucketsWithRecords: Int
}

/// The settings of one vault in scope, as configuration events in the window showed them.
public struct VaultConfiguration: Codable, Sendable, Equatable {
    /// The vault name, lower case.
    public var vault: String
    /// `observed`, or `not observed` when no configuration event of the vault showed a setting.
    public var status: String
    /// Each value seen for each setting, sorted by setting, then first sighting.
    public var settings: [ObservedSetting]
    /// Configuration events of the vault in the window that showed none of the settings (older API
    /// versions do not return them), so "not observed" is told apart from "no event at all".
    /// `nil` in reports written before it was counted.
    public var eventsWithoutSettings: Int?
}

/// One value of one vault setting and when configuration events showed it.
public struct ObservedSetting: Codable, Sendable, Equatable {
    /// `publicNetworkAccess`, `networkAcls.defaultAction`, `networkAcls.bypass` or `tenantId`.
    public var setting: String
    /// The value as logged (a tenant id in comparison form).
    public var value: String
    /// The first event in the window that showed it.
    public var firstSeen: String
    /// The last event in the window that showed it.
    public var lastSeen: String
    /// Events that showed it.
    public var events: Int
    /// The operations of those events, sorted (`VaultGet` reads; `VaultPut`/`VaultPatch` change).
    public var operations: [String]
}

/// How one waiver of the policy was used.
public struct WaiverUse: Codable, Sendable, Equatable {
    /// The waiver's id.
    public var id: String
    /// The rule it waives.
    public var rule: String
    /// Why it was accepted.
    public var justification: String
    /// Who approved it.
    public var approver: String
    /// When it expires, as the policy wrote it.
    public var expires: String
    /// Whether it had expired at analysis time (then it covered nothing).
    public var expired: Bool
    /// Violations it covered.
    public var applied: Int
}

/// One access and how it was decided.
public struct AccessDecision: Codable, Sendable, Equatable {
    /// `TimeGenerated`, ISO 8601 UTC.
    public var time: String
    /// The vault name as logged.
    public var vault: String
    /// `OperationName`.
    public var operation: String
    /// The table that served the access.
    public var sourceTable: String
    /// The normalized `xms_mirid`, or `oid:` + object id, or `(none)`.
    public var identity: String
    /// The route class.
    public var route: NetworkRoute
    /// The field and value that decided the route.
    public var routeRule: String
    /// `proven`, `violated`, `waived` or `undecided`.
    public var outcome: String
    /// The rules it broke (empty when proven or undecided).
    public var rules: [ViolationRule]
    /// The checks that decided, in words.
    public var explanation: String
}
