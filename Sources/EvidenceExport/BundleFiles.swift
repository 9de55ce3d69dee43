/// Reading and writing the files of a bundle directory, with errors that name the path.

import Foundation

/// File helpers for the bundle: every write goes through here so failures name the file.
enum BundleFiles {
    /// Writes `bytes` to `directory/relative`, creating parent directories.
    static func write(_ bytes: [UInt8], to directory: String, relative: String) throws(ExportError) {
        let path = join(directory, relative)
        do {
            let parent = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .fileSystem(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Writes UTF-8 `text` to `directory/relative`.
    static func write(text: String, to directory: String, relative: String) throws(ExportError) {
        try write(Array(text.utf8), to: directory, relative: relative)
    }

    /// The bytes of `directory/relative`.
    static func read(_ directory: String, _ relative: String) throws(ExportError) -> [UInt8] {
        try read(join(directory, relative))
    }

    /// The bytes of `path`.
    static func read(_ path: String) throws(ExportError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw .fileSystem(path: path, reason: exists ? "cannot read the file" : "the file is missing")
        }
        return Array(data)
    }

    /// Every regular file under `directory`, as sorted paths relative to it.
    static func list(_ directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: join(directory, relative), isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// `directory` and `relative` joined with one slash.
    static func join(_ directory: String, _ relative: String) -> String {
        (directory as NSString).appendingPathComponent(relative)
    }
}
