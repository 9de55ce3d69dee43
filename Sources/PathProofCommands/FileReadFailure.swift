/// Why a file the user named could not be read, in words they can act on.

import Foundation

enum FileReadFailure {
    /// "does not exist", "is a directory, not a file", "permission denied" or the system's text for
    /// `path`; "not UTF-8 text" when its bytes can be read (so only decoding them as text failed).
    static func reason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "does not exist" }
        if isDirectory.boolValue { return "is a directory, not a file" }
        guard FileManager.default.isReadableFile(atPath: path) else { return "permission denied" }
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return error.localizedDescription
        }
        return "not UTF-8 text"
    }
}
