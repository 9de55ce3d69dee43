/// Reading and writing key files with the permissions a private key needs.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `read(2)`, reachable from inside `KeyFiles`, whose own `read` hides the C function.
private func readDescriptor(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(descriptor, buffer.baseAddress, buffer.count)
}

/// File operations for key files, done through file descriptors so that the mode checked is the
/// mode of the file read, and a new private key file is never readable by others, not even briefly.
enum KeyFiles {
    /// The system's text for the current `errno`.
    static func systemError() -> String { String(cString: strerror(errno)) }

    /// Reads `path` as UTF-8 text; with `privateKey`, refuses a file its group or others can read.
    static func read(_ path: String, privateKey: Bool) throws(SigningError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .fileSystem(path: path, reason: systemError()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .fileSystem(path: path, reason: systemError())
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .fileSystem(path: path, reason: "not a regular file")
        }
        if privateKey, status.st_mode & 0o077 != 0 {
            throw .privateKeyTooOpen(path: path, mode: UInt32(status.st_mode))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes {
                readDescriptor(descriptor, into: $0)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fileSystem(path: path, reason: systemError())
            }
            if count == 0 { break }
            bytes += chunk.prefix(count)
            guard bytes.count <= 1_048_576 else {
                throw .fileSystem(path: path, reason: "larger than 1 MiB")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Removes `path`, ignoring failure (cleanup after a failed write).
    static func remove(_ path: String) {
        unlink(path)
    }

    /// Whether anything, even a dangling symbolic link, is at `path`.
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Creates `path` with `mode` (refusing an existing file or a symbolic link), writes `text`,
    /// and syncs it to disk; on failure the half-written file is removed.
    static func create(_ path: String, text: String, mode: mode_t) throws(SigningError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .keyFileExists(path: path) }
            throw .fileSystem(path: path, reason: systemError())
        }
        var failure: String?
        // The umask can only remove permission bits; fchmod sets exactly `mode`.
        if fchmod(descriptor, mode) != 0 { failure = systemError() }
        let bytes = Array(text.utf8)
        var offset = 0
        while failure == nil, offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes {
                write(descriptor, $0.baseAddress, $0.count)
            }
            if count < 0 {
                if errno != EINTR { failure = systemError() }
            } else {
                offset += count
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = systemError() }
        close(descriptor)
        if let failure {
            unlink(path)
            throw .fileSystem(path: path, reason: failure)
        }
    }

    /// Makes `directory` (and its parents) if missing; a directory it creates gets mode 0700.
    static func ensureDirectory(_ directory: String) throws(SigningError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw .fileSystem(path: directory, reason: "not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw .fileSystem(
                path: directory, reason: "cannot create directory: \(error.localizedDescription)")
        }
    }
}
