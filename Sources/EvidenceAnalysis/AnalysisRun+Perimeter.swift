/// Corroborating routes with Network Security Perimeter access logs, when the runner supplies them.

import TableModel

extension AnalysisRun {
    /// How far apart an NSP record and a Key Vault record may be and still describe one request.
    static let perimeterLogTolerance = Int64(120) * DateTime.ticksPerSecond

    /// Marks accesses contradicted by a public inbound NSP record of the same caller at the same
    /// time, and notes how many a private or intra-perimeter record corroborates.
    mutating func corroborate(with sources: [EvidenceSource]) {
        var entries: [IPAddress: [(time: DateTime, isPublic: Bool, category: String)]] = [:]
        for source in sources {
            let table = source.rows
            guard let time = table.columnIndex("TimeGenerated"), let address = table.columnIndex("SourceIpAddress")
            else {
                notes.append("\(source.table) lacks TimeGenerated or SourceIpAddress; it was not used")
                continue
            }
            let category = table.columnIndex("Category")
            let traffic = table.columnIndex("TrafficType")
            for row in table.rows {
                guard let instant = EvidenceRowReader.dateTime(row[time]), let ip = IPAddress(row[address].kqlString)
                else { continue }
                let categoryText = category.map { row[$0].kqlString } ?? ""
                let trafficText = traffic.map { row[$0].kqlString.lowercased() } ?? ""
                let isPublic = categoryText.lowercased().hasPrefix("nsppublicinbound") || trafficText == "public"
                entries[ip, default: []].append((instant, isPublic, categoryText.isEmpty ? trafficText : categoryText))
            }
        }
        guard !sources.isEmpty else { return }

        var corroborated = 0
        for (index, access) in accessRecords.enumerated() {
            guard let ip = IPAddress(access.record.callerIp) else { continue }
            let near = (entries[ip] ?? []).filter {
                abs($0.time.ticks - access.record.time.ticks) <= Self.perimeterLogTolerance
            }
            if let contradiction = near.first(where: \.isPublic) {
                let detail = "NSPAccessLogs has \(contradiction.category) from \(ip) at \(contradiction.time.apiText)"
                violations.append(
                    Violation(
                        rule: .perimeterLogContradicts, detail: detail,
                        record: eventFields(access.record, route: access.route), waiver: nil))
                violationOwners.append(index)
                if decisions[index].outcome != "violated" {
                    counts.byDecision[decisions[index].outcome, default: 0] -= 1
                    counts.byDecision["violated", default: 0] += 1
                    decisions[index].outcome = "violated"
                }
                decisions[index].rules.append(.perimeterLogContradicts)
                decisions[index].explanation =
                    "\(ViolationRule.perimeterLogContradicts.rawValue): \(detail); "
                    + decisions[index].explanation
            } else if !near.isEmpty {
                corroborated += 1
            }
        }
        notes.append("\(corroborated) of \(accessRecords.count) accesses are corroborated by a private NSP record")
    }
}
