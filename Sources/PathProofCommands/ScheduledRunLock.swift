/// The lock that keeps two scheduled runs on one archive from proving the same window twice.
///
/// `verify --since-last` reads the archive's watermark when it starts and appends its report when
/// it ends; two runs in between (cron starting the next run while a slow one still queries) would
/// both prove the window from the same watermark, and the windows would overlap. The run holds an
/// exclusive `flock` on `ARCHIVE.lock` from start to end; a second run finds it held and stops
/// without proving anything. The kernel drops the lock when its process dies, so a killed run
/// never leaves it behind.

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on `<archive>.lock`, held until `release()` (or the process ends).
final class ScheduledRunLock {
    let path: String
    private var descriptor: Int32

    /// Takes the lock for the archive at `archivePath`, or fails at once when another run holds it.
    init(archivePath: String) throws(CLIError) {
        path = archivePath + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw .runtime("cannot open the lock file \(path) beside the archive: \(reason)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(descriptor)
            descriptor = -1
            if busy {
                throw .runtime(
                    "another 'verify --since-last' run is using the archive \(archivePath) (it holds \(path)); "
                        + "this run proved nothing, and the next run proves its window")
            }
            throw .runtime("cannot lock \(path): \(reason)")
        }
    }

    /// Lets the next run in.
    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
