/// The shipped queries that gather key-access evidence, and the columns each one depends on.

import EvidenceAnalysis
import Foundation

/// One of the `.kql` files in Queries/, with the source table it reads.
struct EvidenceQuery {
    /// The Log Analytics table the query reads.
    let table: String
    /// The file name in Queries/.
    let fileName: String
    /// What the query's rows are to the analyzer.
    let role: EvidenceRole
    /// Raw columns of `table` the verdict depends on; an absent one makes the evidence undecidable.
    let neededColumns: [String]

    /// The queries, in the order they run.
    static let all = [
        EvidenceQuery(
            table: "AzureDiagnostics", fileName: "keyvault-key-access.kql", role: .keyAccess,
            neededColumns: ["httpStatusCode_d", "identity_claim_xms_mirid_s", "identity_claim_xms_az_nwperimid_s"]),
        EvidenceQuery(
            table: "AZKVAuditLogs", fileName: "keyvault-key-access-azkvauditlogs.kql", role: .keyAccess,
            neededColumns: ["HttpStatusCode", "Identity"]),
        EvidenceQuery(
            table: "AzureDiagnostics", fileName: "keyvault-signs-of-life.kql", role: .signsOfLife,
            neededColumns: []),
        EvidenceQuery(
            table: "AZKVAuditLogs", fileName: "keyvault-signs-of-life-azkvauditlogs.kql", role: .signsOfLife,
            neededColumns: []),
        EvidenceQuery(table: "NSPAccessLogs", fileName: "nsp-access.kql", role: .perimeterAccess, neededColumns: []),
        EvidenceQuery(
            table: "AzureDiagnostics", fileName: "keyvault-vault-configuration.kql", role: .vaultConfiguration,
            neededColumns: []),
        EvidenceQuery(
            table: "AZKVAuditLogs", fileName: "keyvault-vault-configuration-azkvauditlogs.kql",
            role: .vaultConfiguration, neededColumns: []),
    ]

    /// The query text, read from the Queries/ folder.
    func text(queriesDirectory: String) throws(CLIError) -> String {
        let path = (queriesDirectory as NSString).appendingPathComponent(fileName)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .runtime("cannot read the query \(path); set PATHPROOF_QUERIES to the Queries/ folder")
        }
        return text
    }

    /// Finds the Queries/ folder: `$PATHPROOF_QUERIES`, next to the executable's package, or the
    /// current directory's Queries/.
    static func directory(environment: [String: String]) -> String {
        if let configured = environment["PATHPROOF_QUERIES"], !configured.isEmpty { return configured }
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent("Queries").path)
            candidates.append(folder.appendingPathComponent("share/pathproof/Queries").path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/Queries")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/keyvault-key-access.kql") }
            ?? "Queries"
    }
}
