/// `pathproof diff`: new, resolved and persistent violations and UNPROVEN findings between two reports.

import EvidenceArchive
import EvidenceExport
import Foundation
import TableModel

enum DiffCommand {
    static let help = """
        USAGE: pathproof diff BEFORE.json AFTER.json [--format text|json]
               pathproof diff --archive A N M [--format text|json]

        Compares two reports (report.json files written by verify or export): violations and UNPROVEN
        findings (reasons, and logging silences per vault) that are new in AFTER, resolved since BEFORE, or
        persistent. An item outside the other report's window is marked so: that report could not see it.
        With --archive, N and M are checkpoint sizes of archive A: the newest report each checkpoint covers
        (leaf N-1 and leaf M-1) is compared; diff does not re-verify the archive (see archive verify).
        Exit 0 when nothing is new inside both windows, 1 when something is, 3 on an error.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(arguments, valueOptions: ["format", "archive"])
        let format = try parsed.choice("format", in: ["text", "json"], default: "text")
        guard parsed.positionals.count == 2 else { throw .usage("diff takes two reports (or two checkpoint sizes)") }
        let before: ReportView
        let after: ReportView
        do {
            if let archivePath = parsed.value("archive") {
                guard FileManager.default.fileExists(atPath: archivePath) else {
                    throw CLIError.runtime("no archive at \(archivePath)")
                }
                let archive = try EvidenceArchive(path: archivePath)
                before = try report(archive, checkpoint: parsed.positionals[0])
                after = try report(archive, checkpoint: parsed.positionals[1])
            } else {
                before = try ReportView(path: parsed.positionals[0])
                after = try ReportView(path: parsed.positionals[1])
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw .runtime("\(error)")
        }
        let diff = ReportDiff.compare(before, after)
        if format == "json" {
            console.print(OutputGuard.json(diff.json.jsonText))
        } else {
            console.write(OutputGuard.text(diff.text))
        }
        return diff.hasNewFindings ? ExitCode.violated : ExitCode.success
    }

    private static func report(_ archive: EvidenceArchive, checkpoint text: String) throws -> ReportView {
        guard let size = Int(text), size >= 1 else {
            throw CLIError.usage("'\(text)' is not a checkpoint size (1 or more)")
        }
        let count = try archive.count()
        guard size <= count else {
            throw CLIError.usage("checkpoint size \(size) is beyond the archive's \(count) leaves")
        }
        for index in stride(from: size - 1, through: 0, by: -1) {
            let entry = try archive.entry(at: index)
            if !entry.report.isEmpty {
                return try ReportView(bytes: entry.report, source: "\(archive.path) leaf \(index)")
            }
        }
        throw CLIError.runtime("checkpoint \(size) of \(archive.path) covers no report")
    }
}
