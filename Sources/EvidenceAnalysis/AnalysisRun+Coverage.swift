/// Logging coverage: every vault in scope must show signs of life throughout the window.

import TableModel

extension AnalysisRun {
    /// Finds, per vault in scope, the records seen and every silence longer than the policy allows.
    mutating func checkCoverage(
        records: [EvidenceRecord], sources: [EvidenceSource], window: (from: DateTime, to: DateTime)
    ) -> [VaultCoverage] {
        var seen: [String: [DateTime]] = [:]
        for record in records where window.from <= record.time && record.time < window.to {
            seen[Identifiers.normalizedVault(record.vault), default: []].append(record.time)
        }
        let lifeSources = sources.filter { $0.role == .signsOfLife }
        for source in lifeSources {
            let table = source.rows
            let time = table.columnIndex("TimeGenerated")
            let vault = table.columnIndex("Vault") ?? table.columnIndex("Resource")
            let resource = table.columnIndex("ResourceId") ?? table.columnIndex("_ResourceId")
            let count = table.columnIndex("Count") ?? table.columnIndex("count_")
            for row in table.rows {
                guard let time, let instant = EvidenceRowReader.dateTime(row[time]),
                    window.from <= instant, instant < window.to
                else { continue }
                if let count, let number = EvidenceRowReader.status(row[count]), number <= 0 { continue }
                var name = vault.map { row[$0].kqlString } ?? ""
                if name.isEmpty, let resource {
                    name = Identifiers.vaultName(fromResourceID: row[resource].kqlString) ?? ""
                }
                seen[Identifiers.normalizedVault(name), default: []].append(instant)
            }
        }
        if lifeSources.isEmpty {
            notes.append("coverage was judged from key operations only (no signs-of-life source was given)")
        }
        if policy.maxSilenceMinutes == 0 {
            notes.append("the policy turns the silence check off (maxSilenceMinutes 0)")
        }

        let limit = Int64(policy.maxSilenceMinutes) * 60 * DateTime.ticksPerSecond
        let hour = 3600 * DateTime.ticksPerSecond
        let span = max(0, window.to.ticks - window.from.ticks)
        let buckets = Int((span + hour - 1) / hour)
        var coverage: [VaultCoverage] = []
        for vault in vaults.sorted() {
            let times = (seen[vault] ?? []).sorted()
            guard let first = times.first, let last = times.last else {
                reasons.append("vault \(vault) has no audit record in the window: logging may be off")
                coverage.append(
                    VaultCoverage(
                        vault: vault, records: 0, firstSeen: nil, lastSeen: nil, silences: [], hourBuckets: buckets,
                        hourBucketsWithRecords: 0))
                continue
            }
            var silences: [Silence] = []
            if limit > 0 {
                let marks = [window.from] + times + [window.to]
                for (start, end) in zip(marks, marks.dropFirst()) where end.ticks - start.ticks > limit {
                    let minutes = Int((end.ticks - start.ticks) / (60 * DateTime.ticksPerSecond))
                    silences.append(Silence(from: start.apiText, to: end.apiText, minutes: minutes))
                    reasons.append(
                        "vault \(vault) has no audit record from \(start.apiText) to \(end.apiText) (\(minutes) "
                            + "minutes, more than \(policy.maxSilenceMinutes)): logging may have stopped")
                }
            }
            coverage.append(
                VaultCoverage(
                    vault: vault, records: times.count, firstSeen: first.apiText, lastSeen: last.apiText,
                    silences: silences, hourBuckets: buckets,
                    hourBucketsWithRecords: Set(times.map { ($0.ticks - window.from.ticks) / hour }).count))
        }
        return coverage
    }
}
