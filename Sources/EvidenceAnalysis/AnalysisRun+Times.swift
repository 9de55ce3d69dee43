/// Flagging rows whose TimeGenerated the service rewrote to the time it received them.

import TableModel

extension AnalysisRun {
    /// How close TimeGenerated and the receipt time must be to suggest a rewrite.
    static let rewriteTolerance = DateTime.ticksPerSecond

    /// Notes rows whose `TimeGenerated` was (or probably was) replaced by the receipt time.
    ///
    /// Azure Monitor replaces an event time more than two days old (or a day in the future) with
    /// the time it received the record. With the raw event time (`EventTime`) the rewrite is
    /// certain; with only `_TimeReceived`/`TimeReceived`, a TimeGenerated within a second of receipt
    /// is flagged as probable, since normal ingestion takes minutes. Sources with neither column
    /// cannot be checked; the shipped queries do not project them, which the note says.
    mutating func flagRewrittenTimes(sources: [EvidenceSource], window: (from: DateTime, to: DateTime)) {
        var certain = 0
        var probable = 0
        var checked = false
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
            let event = column("EventTime")
            let received = column("TimeReceived", "_TimeReceived")
            guard event != nil || received != nil else { continue }
            for row in table.rows {
                // A column of nulls (a workspace without the hidden _TimeReceived) checks nothing.
                if let event, EvidenceRowReader.dateTime(row[event]) != nil { checked = true }
                if let received, EvidenceRowReader.dateTime(row[received]) != nil { checked = true }
                guard let time = EvidenceRowReader.dateTime(row[generated]), window.from <= time, time < window.to
                else { continue }
                if let event, let original = EvidenceRowReader.dateTime(row[event]),
                    abs(original.ticks - time.ticks) > Self.rewriteTolerance
                {
                    certain += 1
                } else if let received, let receipt = EvidenceRowReader.dateTime(row[received]),
                    abs(receipt.ticks - time.ticks) <= Self.rewriteTolerance
                {
                    probable += 1
                }
            }
        }
        if certain > 0 {
            notes.append("\(certain) rows carry a TimeGenerated the service rewrote (it differs from the event time)")
        }
        if probable > 0 {
            notes.append("\(probable) rows have a TimeGenerated equal to their receipt time: probably rewritten")
        }
        if !checked {
            notes.append("rewritten TimeGenerated values could not be checked (no EventTime or _TimeReceived values)")
        }
    }
}
