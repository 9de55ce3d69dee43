/// MANIFEST.json: every file of a bundle with its size and SHA-256, and the envelope that signs it.

import EvidenceSigning
import TableModel

/// One file listed in a manifest.
public struct ManifestFile: Sendable, Equatable {
    /// Path relative to the bundle directory, with `/` separators.
    public var path: String
    /// Size in bytes.
    public var size: Int
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String

    public init(path: String, size: Int, sha256: String) {
        self.path = path
        self.size = size
        self.sha256 = sha256
    }
}

/// Builds, signs and reads the manifest of an export bundle.
///
/// The signed envelope's payload is the exact bytes of MANIFEST.json (RFC 8785 canonical JSON), so
/// an auditor checks one signature and then every digest the manifest lists.
public enum ExportManifest {
    /// The manifest file name.
    public static let fileName = "MANIFEST.json"
    /// The DSSE envelope over the manifest.
    public static let envelopeFileName = "MANIFEST.dsse.json"
    /// The DSSE payloadType of a signed manifest.
    public static let payloadType = "application/vnd.pathproof.export-manifest+json"
    /// The manifest's `schemaVersion`.
    public static let schemaVersion = "pathproof.export/v1"

    /// The canonical manifest bytes: `facts` plus `files` (sorted by path) and `schemaVersion`.
    static func encode(files: [ManifestFile], facts: [String: Dynamic]) throws(ExportError) -> [UInt8] {
        var document = facts
        document["schemaVersion"] = .string(schemaVersion)
        document["files"] = .array(
            files.sorted { $0.path < $1.path }.map {
                .object(["path": .string($0.path), "size": .long(Int64($0.size)), "sha256": .string($0.sha256)])
            })
        do {
            return try CanonicalJSON.encode(.object(document))
        } catch {
            throw .signing("cannot write the manifest as canonical JSON: \(error)")
        }
    }

    /// Signs manifest bytes as a DSSE envelope.
    static func sign(_ manifest: [UInt8], signer: any EvidenceSigner) throws(ExportError) -> [UInt8] {
        do {
            return try DSSE.sign(payload: manifest, payloadType: payloadType, signer: signer).jsonBytes
        } catch {
            throw .signing("cannot sign the manifest: \(error)")
        }
    }

    /// The files a manifest lists; throws when the bytes are not a PathProof export manifest.
    public static func files(in manifest: [UInt8]) throws(ExportError) -> [ManifestFile] {
        let document: Dynamic
        do {
            document = try JSONParser.parse(bytes: manifest)
        } catch {
            throw .malformedReport(source: fileName, reason: error.description)
        }
        guard document["schemaVersion"]?.stringValue == schemaVersion, case .array(let items)? = document["files"]
        else {
            throw .malformedReport(source: fileName, reason: "not a \(schemaVersion) manifest with a \"files\" list")
        }
        var files: [ManifestFile] = []
        for (index, item) in items.enumerated() {
            guard let path = item["path"]?.stringValue, case .long(let size)? = item["size"],
                let digest = item["sha256"]?.stringValue
            else {
                throw .malformedReport(source: fileName, reason: "files[\(index)] lacks path, size or sha256")
            }
            files.append(ManifestFile(path: path, size: Int(size), sha256: digest))
        }
        return files
    }
}
