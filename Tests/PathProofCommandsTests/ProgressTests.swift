/// Progress on standard error: one line rewritten in place on a terminal (a real pseudo-terminal),
/// nothing when standard error is a pipe or with --quiet, a line per step with --verbose.

import Foundation
import Synchronization
import Testing

@testable import PathProofCommands

#if canImport(Glibc)
    import Glibc
#endif

struct ProgressTests {
    static let erase = "\r\u{1B}[2K"

    /// Whether `text` holds a progress line (one starting with "… ") or a terminal control sequence.
    static func hasProgress(_ text: String) -> Bool {
        text.contains("\u{1B}")
            || text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).contains { $0.hasPrefix("… ") }
    }

    /// `verify` on the demo evidence with `extra` options, run by the real executable.
    func verifyArguments(_ cli: CLIHarness, _ extra: [String]) -> [String] {
        [
            "verify", "--workspace", VerifyCommandTests.demo, "--policy", VerifyCommandTests.policy, "--from",
            "2026-11-02T08:00:00Z", "--to", "2026-11-02T12:00:00Z", "--now", "2026-11-03T00:00:00Z", "--archive",
            cli.path("archive.sqlite"), "--ci", "none",
        ] + extra
    }

    func process(_ cli: CLIHarness, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try BuiltExecutable.locate().url
        process.arguments = arguments
        process.environment = cli.environment.merging(["PATH": "/usr/bin:/bin"]) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        return process
    }

    /// Runs with standard error on a pipe; returns what it wrote there.
    func stderrOnPipe(_ cli: CLIHarness, _ extra: [String]) throws -> String {
        let process = try process(cli, verifyArguments(cli, extra))
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the demo's window is PROVEN")
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs with standard error on a pseudo-terminal; returns what the terminal received.
    func stderrOnTerminal(_ cli: CLIHarness, _ extra: [String]) throws -> String {
        let pty = try #require(PseudoTerminal())
        let master = pty.master
        defer { close(master) }
        let slave = open(pty.slavePath, O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        let received = Mutex([UInt8]())
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if count <= 0 { return }
                received.withLock { $0 += buffer[0..<count] }
            }
        }
        let done = DispatchSemaphore(value: 0)
        let process = try process(cli, verifyArguments(cli, extra))
        process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        close(slave)
        reader.start()
        done.wait()
        // The reader ends when the terminal's last writer has gone (read fails with EIO).
        for _ in 0..<200 where !reader.isFinished { usleep(10_000) }
        return String(decoding: received.withLock { $0 }, as: UTF8.self)
    }

    @Test func `on a terminal one progress line is rewritten in place and erased before the result`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let terminal = try stderrOnTerminal(cli, [])
        #expect(terminal.contains(Self.erase + "… running keyvault-key-access.kql"), "\(terminal.debugDescription)")
        #expect(terminal.contains(Self.erase + "… running keyvault-key-access.kql: "))
        #expect(terminal.contains("rows ("))
        #expect(terminal.contains(Self.erase + "… signing and archiving" + Self.erase))
        // Progress lines are never ended with a newline of their own.
        #expect(!terminal.contains("… analysing\r\n"))
    }

    @Test func `quiet on a terminal and a pipe without options show no progress`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let quiet = try stderrOnTerminal(cli, ["--quiet"])
        #expect(!Self.hasProgress(quiet), "\(quiet.debugDescription)")
        let piped = try stderrOnPipe(cli, [])
        #expect(!Self.hasProgress(piped), "\(piped.debugDescription)")
        #expect(piped.contains("signed by key"), "messages other than progress still go to stderr")
    }

    @Test func `verbose shows a line per step even on a pipe`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let piped = try stderrOnPipe(cli, ["--verbose"])
        #expect(piped.contains("… running keyvault-key-access.kql\n"), "\(piped.debugDescription)")
        #expect(piped.contains("… analysing\n"))
        #expect(!piped.contains("\u{1B}"))
        // Detail lines: each query's rows, the analysis and the sealed report.
        let lines = piped.split(separator: "\n").map(String.init)
        #expect(
            lines.contains {
                $0.hasPrefix("  keyvault-key-access.kql on AzureDiagnostics: ") && $0.hasSuffix(" columns")
            })
        #expect(lines.contains { $0.hasPrefix("window: 2026-11-02T08:00:00Z to ") }, "\(piped)")
        #expect(lines.contains { $0.hasPrefix("analysis: ") && $0.contains(" access(es), ") })
        #expect(lines.contains { $0.hasPrefix("sealed: report sha256 ") && $0.contains(", archive entry 0") })
        let quiet = try stderrOnPipe(cli, [])
        #expect(!quiet.contains("analysis: "), "no detail without --verbose")
    }

    @Test func `the status line is erased before any other output`() {
        let written = Mutex("")
        let console = Console(
            out: { text in written.withLock { $0 += "OUT:" + text } },
            err: { text in written.withLock { $0 += "ERR:" + text } })
        let progress = Progress.forCommand(console: console, quiet: false, verbose: false, terminal: true)
        progress.phase("running q.kql")
        progress.rows(1200, slices: 3)
        console.print("PROVEN")
        progress.phase("signing")
        progress.finish()
        progress.finish()
        let erase = Self.erase
        #expect(
            written.withLock { $0 }
                == "ERR:\(erase)… running q.kqlERR:\(erase)… running q.kql: 1200 rows in 3 slices (1200 so far)"
                + "ERR:\(erase)OUT:PROVEN\nERR:\(erase)… signingERR:\(erase)")
        let off = Progress.forCommand(console: console, quiet: true, verbose: false, terminal: true)
        written.withLock { $0 = "" }
        off.phase("x")
        off.finish()
        #expect(written.withLock { $0 }.isEmpty)
    }
}

/// A pseudo-terminal pair from the C library (posix_openpt and friends are not in Swift's Glibc
/// module, so they are looked up by name).
struct PseudoTerminal {
    let master: Int32
    let slavePath: String

    init?() {
        typealias Open = @convention(c) (Int32) -> Int32
        typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        guard let library = dlopen(nil, RTLD_NOW), let openSymbol = dlsym(library, "posix_openpt"),
            let grantSymbol = dlsym(library, "grantpt"), let unlockSymbol = dlsym(library, "unlockpt"),
            let nameSymbol = dlsym(library, "ptsname")
        else { return nil }
        let master = unsafeBitCast(openSymbol, to: Open.self)(O_RDWR | O_NOCTTY)
        guard master >= 0, unsafeBitCast(grantSymbol, to: Open.self)(master) == 0,
            unsafeBitCast(unlockSymbol, to: Open.self)(master) == 0,
            let name = unsafeBitCast(nameSymbol, to: Name.self)(master)
        else { return nil }
        self.master = master
        slavePath = String(cString: name)
    }
}
