/// Flagging rows whose TimeGenerated the service rewrote to the time it received them.

import TableModel

extension AnalysisRun {
    /// How close TimeGenerated and the receipt time must be to suggest a rewrite.
    static let rewriteTolerance = DateTime.ticksPerSecond
    /// How many flagged rows a note names one by one.
    static let rewrittenRowsNamed = 10

    /// Notes rows whose `TimeGenerated` was (or probably was) replaced by the receipt time, and how
    /// many rows in the window could be checked at all.
    ///
    /// Azure Monitor replaces an event time more than two days old (or a day in the future) with
    /// the time it received the record. With the record's own time (`EventTime`: the raw record's
    /// `time`, kept by PathProof's ingest as `time_t`) the answer is certain; with only the receipt
    /// time (`_TimeReceived`, projected as `TimeReceived`), a TimeGenerated within a second of
    /// receipt is flagged as probable, since normal ingestion takes minutes. Rows with neither
    /// (Log Analytics rows exported without `_TimeReceived`) cannot be checked; the note counts them.
    mutating func flagRewrittenTimes(sources: [EvidenceSource], window: (from: DateTime, to: DateTime)) {
        var certain = 0
        var probable = 0
        var checked = 0
        var unchecked = 0
        var certainRows: [String] = []
        var probableRows: [String] = []
        for source in sources {
            let table = source.rows
            func column(_ names: String...) -> Int? {
                for name in names {
                    if let index = table.columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
                        return index
                    }
                }
                return nil
            }
            guard let generated = column("TimeGenerated") else { continue }
            let event = column("EventTime", "time_t")
            let received = column("TimeReceived", "_TimeReceived")
            let operation = column("OperationName")
            let vault = column("Vault", "Resource")
            let correlation = column("CorrelationId")
            /// Names the row so an auditor can find it: time, vault, operation, correlation id.
            func describe(_ row: [Value], _ time: DateTime, _ detail: String) -> String {
                let fields = [vault, operation, correlation].map { index in
                    index.map { row[$0].kqlString } ?? ""
                }.filter { !$0.isEmpty }
                return "\(time.apiText) \(fields.joined(separator: " ")) (\(detail))"
            }
            for row in table.rows {
                guard let time = EvidenceRowReader.dateTime(row[generated]), window.from <= time, time < window.to
                else { continue }
                let original = event.flatMap { EvidenceRowReader.dateTime(row[$0]) }
                let receipt = received.flatMap { EvidenceRowReader.dateTime(row[$0]) }
                if let original {
                    checked += 1
                    if abs(original.ticks - time.ticks) > Self.rewriteTolerance {
                        certain += 1
                        if certainRows.count < Self.rewrittenRowsNamed {
                            certainRows.append(describe(row, time, "the record's own time is \(original.apiText)"))
                        }
                    }
                } else if let receipt {
                    checked += 1
                    if abs(receipt.ticks - time.ticks) <= Self.rewriteTolerance {
                        probable += 1
                        if probableRows.count < Self.rewrittenRowsNamed {
                            probableRows.append(describe(row, time, "received \(receipt.apiText)"))
                        }
                    }
                } else {
                    unchecked += 1
                }
            }
        }
        if certain > 0 {
            notes.append(
                "\(certain) rows carry a TimeGenerated the service rewrote (it differs from the record's own time), "
                    + "so they did not happen when this window places them: " + Self.listing(certainRows, of: certain))
        }
        if probable > 0 {
            notes.append(
                "\(probable) rows have a TimeGenerated equal to their receipt time: probably rewritten: "
                    + Self.listing(probableRows, of: probable))
        }
        if checked > 0 && certain + probable == 0 {
            notes.append("\(checked) rows were checked for a rewritten TimeGenerated; none was rewritten")
        }
        if unchecked > 0 {
            notes.append(
                "\(unchecked) rows could not be checked for a rewritten TimeGenerated: they carry neither the "
                    + "record's own time nor _TimeReceived")
        }
    }

    /// `rows` joined, and how many more there are when `total` is larger.
    private static func listing(_ rows: [String], of total: Int) -> String {
        rows.joined(separator: "; ") + (total > rows.count ? "; and \(total - rows.count) more" : "")
    }
}
