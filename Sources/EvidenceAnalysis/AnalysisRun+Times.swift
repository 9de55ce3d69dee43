/// Flagging rows whose TimeGenerated the service rewrote to the time it received them.

import TableModel

extension AnalysisRun {
    /// How close TimeGenerated and the receipt time must be to suggest a rewrite.
    static let rewriteTolerance = DateTime.ticksPerSecond

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
            for row in table.rows {
                guard let time = EvidenceRowReader.dateTime(row[generated]), window.from <= time, time < window.to
                else { continue }
                let original = event.flatMap { EvidenceRowReader.dateTime(row[$0]) }
                let receipt = received.flatMap { EvidenceRowReader.dateTime(row[$0]) }
                if let original {
                    checked += 1
                    if abs(original.ticks - time.ticks) > Self.rewriteTolerance { certain += 1 }
                } else if let receipt {
                    checked += 1
                    if abs(receipt.ticks - time.ticks) <= Self.rewriteTolerance { probable += 1 }
                } else {
                    unchecked += 1
                }
            }
        }
        if certain > 0 {
            notes.append(
                "\(certain) rows carry a TimeGenerated the service rewrote (it differs from the record's own time)")
        }
        if probable > 0 {
            notes.append("\(probable) rows have a TimeGenerated equal to their receipt time: probably rewritten")
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
}
