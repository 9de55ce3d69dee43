/// The state of one analysis: reading sources, removing duplicates, scoping and deciding.

import TableModel

/// One analysis from sources to report; `Analyzer` creates one per call.
struct AnalysisRun {
    let policy: ProofPolicy
    let now: DateTime
    let classifier: RouteClassifier
    let expectedPolicies: Set<String>
    let expectedPerimeters: Set<String>
    let vaults: Set<String>
    let operations: Set<String>

    var reasons: [String] = []
    var notes: [String] = []
    var undecided: [String: Int] = [:]
    var violations: [Violation] = []
    var blocked: [RefusedRequest] = []
    var failed: [RefusedRequest] = []
    var decisions: [AccessDecision] = []
    var counts = ReportCounts()
    var summaries: [SourceSummary] = []
    var accessesByPolicy: [String: Int] = [:]
    var accessRecords: [(record: EvidenceRecord, route: RouteClassification)] = []
    /// Routes already classified, by their network fields.
    var routes: [[String]: RouteClassification] = [:]
    /// Refusals of the enterprise policy's own identity, per operation.
    var refusedPolicyOperations: [String: Int] = [:]
    /// Normalized `xms_mirid` values: a window holds a handful of distinct identities.
    var normalizedClaims: [String: String] = [:]

    init(policy: ProofPolicy, now: DateTime) {
        self.policy = policy
        self.now = now
        classifier = RouteClassifier(subnets: policy.subnets)
        expectedPolicies = Set(policy.enterprisePolicies.map(Identifiers.normalizedResourceID))
        expectedPerimeters = Set(policy.perimeters.map { Identifiers.normalizedGUID($0) ?? $0.lowercased() })
        vaults = Set(policy.vaults.map(Identifiers.normalizedVault))
        operations = Set(policy.operations.map { $0.lowercased() })
    }

    mutating func analyze(sources: [EvidenceSource], window given: (from: DateTime, to: DateTime)?) -> Report {
        let margin = Int64(policy.settleMarginMinutes) * 60 * DateTime.ticksPerSecond
        let settled = policy.settledBefore(now: now)

        // Read every key-access source, most complete first, so a duplicate keeps the fuller copy.
        let keySources = sources.enumerated().filter { $0.element.role == .keyAccess }
            .map { (index: $0.offset, source: $0.element, gaps: missingFields($0.element).count) }
            .sorted { ($0.gaps, $0.index) < ($1.gaps, $1.index) }
            .map { (offset: $0.index, element: $0.source) }
        // Each event key maps to the distinct copies kept for it (indices into `records`): a copy
        // that agrees with a kept one is a duplicate; one that contradicts it on a claim or a route
        // field is judged as an event of its own, so no copy can hide another.
        var records: [(record: EvidenceRecord, source: Int)] = []
        var copies: [EventKey: [Int]] = [:]
        let totalRows = keySources.reduce(0) { $0 + $1.element.rows.rows.count }
        copies.reserveCapacity(totalRows)
        records.reserveCapacity(totalRows)
        var duplicates = 0
        var conflictingCopies = 0
        var unreadable: [Int: Int] = [:]
        for (index, source) in keySources {
            let reader = EvidenceRowReader(source.rows, sourceName: source.table)
            for row in source.rows.rows {
                guard let record = reader.record(row) else {
                    unreadable[index, default: 0] += 1
                    continue
                }
                let key = EventKey(record)
                if let kept = copies[key] {
                    if let same = kept.first(where: { !records[$0].record.contradicts(record) }) {
                        // A duplicate; a tenant claim only this copy carries is kept, so the
                        // verdict does not depend on which copy came first.
                        records[same].record.absorbTenantClaims(of: record)
                        duplicates += 1
                        continue
                    }
                    conflictingCopies += 1
                }
                copies[key, default: []].append(records.count)
                records.append((record, index))
            }
        }

        // The window: as given, or from the earliest record up to the settled point.
        let window: (from: DateTime, to: DateTime)
        if let given {
            window = given
            if given.to > settled {
                reasons.append(
                    "the window ends at \(given.to.apiText), less than \(policy.settleMarginMinutes) minutes before "
                        + "\(now.apiText): records may still arrive; run again after "
                        + "\(DateTime(ticks: given.to.ticks + margin).apiText)")
            }
        } else {
            let earliest = records.map(\.record.time).min() ?? settled
            window = (min(earliest, settled), settled)
            notes.append("no window was given: analysed \(window.from.apiText) to \(window.to.apiText)")
            let pending = records.filter { $0.record.time >= settled }.count
            if pending > 0 {
                notes.append("\(pending) records newer than the settle margin were left for a later run")
            }
        }
        if window.from >= window.to {
            reasons.append("the window \(window.from.apiText) to \(window.to.apiText) is empty")
        }

        var sourceAccesses: [Int: Int] = [:]
        var sourceRequests: [Int: Int] = [:]

        // Decide every distinct record in scope.
        let missingBySource = sources.map(missingFields)
        for (record, sourceIndex) in records {
            guard window.from <= record.time, record.time < window.to else { continue }
            guard operations.contains(record.operation.lowercased()) else { continue }
            if record.vault.isEmpty {
                undecided["the vault cannot be read from ResourceId, Vault or the request URI", default: 0] += 1
                continue
            }
            let armVault = Identifiers.vaultName(fromResourceID: record.resourceId).map(Identifiers.normalizedVault)
            guard vaults.contains(Identifiers.normalizedVault(record.vault)) || armVault.map(vaults.contains) == true
            else { continue }
            let missing = missingBySource[sourceIndex]
            guard keyInScope(record) else { continue }
            sourceRequests[sourceIndex, default: 0] += 1
            let route = classifyRoute(record)
            guard let status = record.httpStatus else {
                counts.byOutcome["none", default: 0] += 1
                undecided["requests have no HTTP status, so whether they succeeded is unknown", default: 0] += 1
                continue
            }
            counts.byOutcome[String(status), default: 0] += 1
            if (200...299).contains(status) {
                sourceAccesses[sourceIndex, default: 0] += 1
                decideAccess(record, route: route, missing: missing.union(record.unknownFields))
            } else {
                recordRefusal(record, status: status, route: route)
            }
        }

        // Sources: their gaps become reasons where they hide in-scope requests, their absence a note.
        for (index, source) in sources.enumerated() {
            describeGaps(of: source, missing: missingBySource[index], inScope: sourceRequests[index] ?? 0)
            if source.role == .keyAccess, let count = unreadable[index] {
                reasons.append("\(source.table): \(count) rows have no readable TimeGenerated and were not analysed")
            }
        }
        flagRewrittenTimes(sources: keySources.map(\.element), window: window)
        corroborate(with: sources.filter { $0.role == .perimeterAccess })
        let configuration = describeConfiguration(sources: sources, window: window)
        applyWaivers()
        checkEvidencePerPolicy()
        let coverage = checkCoverage(records: records.map(\.record), sources: sources, window: window)

        for (index, source) in sources.enumerated() {
            summaries.append(
                SourceSummary(
                    table: source.table, role: source.role, rows: source.rows.rows.count,
                    unreadableRows: unreadable[index] ?? 0, accesses: sourceAccesses[index] ?? 0,
                    missingColumns: source.missingColumns.sorted(), incompleteReasons: source.incompleteReasons,
                    absentReason: source.absentReason))
        }
        for (reason, count) in undecided.sorted(by: { $0.key < $1.key }) {
            reasons.append("\(count) \(count == 1 ? "access or request" : "accesses or requests"): \(reason)")
        }
        if !refusedPolicyOperations.isEmpty {
            let list = refusedPolicyOperations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            notes.append(
                "the enterprise policy identity was refused (\(list.joined(separator: ", "))): customer-managed-key "
                    + "operations that fail risk locking the environment")
        }
        let accessCount = decisions.count
        if accessCount == 0 {
            reasons.append("no access to prove: no in-scope operation on an in-scope vault succeeded in the window")
        }
        if duplicates > 0 {
            notes.append("\(duplicates) duplicate copies of events were counted once")
        }
        if conflictingCopies > 0 {
            notes.append(
                "\(conflictingCopies) cop\(conflictingCopies == 1 ? "y" : "ies") of an event (same vault, operation, "
                    + "time, caller, request and status) disagreed with another copy on a claim or a route field, "
                    + "so each was judged as an access of its own")
        }

        let verdict: Verdict = !violations.isEmpty ? .violated : (reasons.isEmpty ? .proven : .unproven)
        return Report(
            verdict: verdict, accesses: accessCount, violations: sortedViolations(violations),
            waivedViolations: sortedViolations(waived), blockedAttempts: sortedRefusals(blocked),
            failedRequests: sortedRefusals(failed), unprovenReasons: reasons, notes: notes,
            window: ReportWindow(
                from: window.from.apiText, to: window.to.apiText, settledBefore: settled.apiText,
                given: given != nil),
            counts: counts, duplicates: duplicates, sources: summaries, coverage: coverage,
            configuration: configuration, waivers: waiverUses,
            decisions: decisions.sorted {
                ($0.time, $0.vault, $0.operation, $0.sourceTable, $0.identity, $0.explanation)
                    < ($1.time, $1.vault, $1.operation, $1.sourceTable, $1.identity, $1.explanation)
            },
            generatedAt: now.apiText, policyDigest: nil, policyFile: nil)
    }

    var waived: [Violation] = []
    var waiverUses: [WaiverUse] = []
    /// For each entry of `violations`, the index of its access in `decisions`.
    var violationOwners: [Int] = []

    /// The route of `record`, classified once per distinct combination of network fields.
    mutating func classifyRoute(_ record: EvidenceRecord) -> RouteClassification {
        let inputs = [
            record.addressAuthorizationType, record.privateEndpointId, record.subnetId, record.trustedService,
            record.callerIp,
        ]
        if let known = routes[inputs] { return known }
        let route = classifier.classify(record)
        routes[inputs] = route
        return route
    }

    /// `Identifiers.normalizedResourceID(claim)`, computed once per distinct claim.
    mutating func normalizedIdentity(_ claim: String) -> String {
        if let known = normalizedClaims[claim] { return known }
        let normalized = Identifiers.normalizedResourceID(claim)
        normalizedClaims[claim] = normalized
        return normalized
    }

    /// The facts a source cannot supply, from the runner's list and from the rows' own columns.
    func missingFields(_ source: EvidenceSource) -> Set<EvidenceField> {
        var fields = Set(source.missingColumns.flatMap { EvidenceField.fields(forColumn: $0) })
        let reader = EvidenceRowReader(source.rows, sourceName: source.table)
        let pairs: [(EvidenceRowReader.Field, EvidenceField)] = [
            (.perimeter, .perimeterClaim), (.enterprisePolicy, .enterprisePolicyClaim), (.httpStatus, .httpStatus),
            (.objectId, .objectId),
        ]
        // A field no column holds may still be in a row's AdditionalFields; rows without it are
        // marked one by one (`EvidenceRecord.unknownFields`).
        for (field, fact) in pairs where !reader.has(field) && !reader.hasAdditionalFields {
            fields.insert(fact)
        }
        return fields
    }

    /// Turns a source's gaps into reasons (when they hide in-scope requests) or notes.
    private mutating func describeGaps(of source: EvidenceSource, missing: Set<EvidenceField>, inScope: Int) {
        if let absent = source.absentReason {
            // Several queries read one table: say once that it is absent.
            let note = "\(source.table) does not exist in the workspace (\(absent)); it contributed no rows"
            if !notes.contains(note) { notes.append(note) }
        }
        for reason in source.incompleteReasons {
            reasons.append("\(source.table) is incomplete: \(reason)")
        }
        guard source.role == .keyAccess, source.absentReason == nil else { return }
        let needed = missing.filter { [.perimeterClaim, .enterprisePolicyClaim, .httpStatus].contains($0) }.sorted()
        let unknown = source.missingColumns.filter { EvidenceField.fields(forColumn: $0).isEmpty }.sorted()
        if inScope > 0 {
            // Each access these gaps leave undecided is counted among the reasons one by one.
            for field in needed {
                notes.append(
                    "\(source.table) has no \(field.rawValue) column: accesses without the value are undecided")
            }
            for column in unknown {
                reasons.append("\(source.table) lacks column \(column), which the analyzer cannot judge unneeded")
            }
        } else if !needed.isEmpty || !unknown.isEmpty {
            let names = needed.map(\.rawValue) + unknown
            notes.append(
                "\(source.table) lacks \(names.joined(separator: ", ")) but holds no in-scope request, "
                    + "so nothing is hidden")
        }
        if missing.contains(.route), policy.routes != nil || policy.identities.contains(where: { $0.routes != nil }) {
            notes.append("\(source.table) lacks some route columns; routes are classified from what remains")
        }
    }

    private mutating func keyInScope(_ record: EvidenceRecord) -> Bool {
        guard !policy.keys.isEmpty else { return true }
        let fromURI = KeyReference(uri: record.requestUri)
        let fromKeyId = KeyReference(uri: record.keyId)
        guard var key = fromURI ?? fromKeyId else {
            undecided[
                "the key addressed cannot be read from RequestUri or KeyId, so its scope is unknown", default: 0] +=
                1
            return false
        }
        // A request for the latest version names none in its URI; the key id says which it was.
        if key.version == nil, let named = fromKeyId, named.name == key.name { key.version = named.version }
        let scopes = policy.keys.filter { $0.name.lowercased() == key.name }
        guard !scopes.isEmpty else { return false }
        if key.version == nil, !scopes.contains(where: { $0.version == nil }) {
            undecided[
                "the key version cannot be read from RequestUri or KeyId, so whether the policy's pinned version "
                    + "was used is unknown", default: 0] += 1
            return false
        }
        return scopes.contains { key.matches($0) }
    }
}

/// The fields that identify one event across sinks and schemas.
///
/// The vault is keyed by name, not ARM id: vault names are unique DNS names within a cloud, and
/// some shapes lack the resource id. Two distinct events that agree on every field here (same
/// 100 ns tick, caller, identity, URI, status and correlation id) would be counted once.
struct EventKey: Hashable {
    let vault: String
    let operation: String
    let ticks: Int64
    let correlationId: String
    let requestUri: String
    let callerIp: String
    let objectId: String
    let httpStatus: Int?

    init(_ record: EvidenceRecord) {
        vault = record.vault.isEmpty ? record.resourceId : record.vault.lowercased()
        operation = record.operation.lowercased()
        ticks = record.time.ticks
        correlationId = record.correlationId
        requestUri = record.requestUri
        callerIp = record.callerIp
        objectId = record.objectId
        httpStatus = record.httpStatus
    }
}
