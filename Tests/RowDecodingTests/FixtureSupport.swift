/// Where the recorded Log Analytics responses live, and a canonical text form of scanner output.

import Foundation
import RowDecoding
import TableModel

/// Locates the real recorded response bodies (`la-responses`).
///
/// Looked up in order: `$PATHPROOF_LA_FIXTURES`, `Fixtures/la-responses` in this package, and the
/// project's shared fixture folder.
enum LAFixtures {
    static let directory: URL = {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["PATHPROOF_LA_FIXTURES"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        candidates.append(package.appendingPathComponent("Fixtures/la-responses"))
        candidates.append(
            package.deletingLastPathComponent().appendingPathComponent("shared/fixtures/public/la-responses"))
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("MANIFEST.md").path)
        }
            ?? candidates[candidates.count - 1]
    }()

    /// Every `*.json` fixture name, sorted.
    static var names: [String] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return all.filter { $0.hasSuffix(".json") }.sorted()
    }

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }
}

/// A text form of values that distinguishes every bit (NaN included), for exact comparisons.
enum Canonical {
    static func value(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "bool:\(flag)"
        case .int(let number): return "int:\(number)"
        case .long(let number): return "long:\(number)"
        case .real(let number): return "real:\(String(number.bitPattern, radix: 16))"
        case .decimal(let number): return "decimal:\(number)"
        case .string(let text): return "string:" + JSONText.quoted(text)
        case .datetime(let instant): return "datetime:\(instant.ticks)"
        case .timespan(let span): return "timespan:\(span.ticks)"
        case .guid(let id): return "guid:\(id.uuidString)"
        case .dynamic(let dynamic): return "dynamic:" + dynamic.jsonText
        }
    }

    static func event(_ event: ResponseEvent) -> String {
        switch event {
        case .tableStart(let name, let columns):
            return "start \(name) " + columns.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ",")
        case .row(let row): return "row " + row.map(value).joined(separator: " | ")
        case .tableEnd(let name, let count): return "end \(name) \(count)"
        case .partialError(let error): return "error " + error.jsonText
        }
    }

    /// Feeds `bytes` in chunks of the given sizes (cycled), and returns every event or the error.
    static func scan(_ bytes: [UInt8], chunkSizes: [Int]) -> [String] {
        let scanner = ResponseScanner()
        var output: [String] = []
        var offset = 0
        var turn = 0
        do {
            while offset < bytes.count {
                let size = min(chunkSizes[turn % chunkSizes.count], bytes.count - offset)
                turn += 1
                scanner.feed(bytes[offset..<offset + size])
                offset += size
                while let next = try scanner.next() { output.append(Canonical.event(next)) }
            }
            scanner.finish()
            while let next = try scanner.next() { output.append(Canonical.event(next)) }
        } catch {
            output.append("failed: \(error)")
        }
        return output
    }
}
