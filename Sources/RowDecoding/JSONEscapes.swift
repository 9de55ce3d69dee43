/// Resolving the backslash escapes of a JSON string's raw bytes.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decodes JSON string escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` with
/// surrogate pairs) into UTF-8.
enum JSONEscapes {
    /// Why raw string bytes could not be decoded, and where (an offset into the raw bytes).
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    /// Decodes `raw` into `out`, which must hold at least `raw.count` bytes (decoding never grows
    /// the text); returns the decoded byte count.
    static func decode(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) throws(Failure) -> Int {
        guard let bytes = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        let end = raw.count
        var written = 0
        var index = 0
        while index < end {
            let found = memchr(bytes + index, 0x5C, end - index)
            let run = found.map { UnsafeRawPointer(bytes).distance(to: UnsafeRawPointer($0)) } ?? end
            if run > index {
                (out + written).update(from: bytes + index, count: run - index)
                written += run - index
                index = run
                continue
            }
            guard index + 1 < end else { throw Failure(offset: index, reason: "a string ends inside an escape") }
            let escape = bytes[index + 1]
            index += 2
            var decoded: UInt8
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = escape
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "u"):
                guard var scalar = hex4(bytes, index, end) else {
                    throw Failure(offset: index - 2, reason: "bad \\u escape")
                }
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 6 <= end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                        let low = hex4(bytes, index + 2, end), (0xDC00..<0xE000).contains(low)
                    else { throw Failure(offset: index - 6, reason: "unpaired surrogate in a \\u escape") }
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw Failure(offset: index - 6, reason: "unpaired surrogate in a \\u escape")
                }
                written += writeUTF8(scalar, to: out + written)
                continue
            default:
                throw Failure(
                    offset: index - 2, reason: "unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
            }
            out[written] = decoded
            written += 1
        }
        return written
    }

    /// Checks the escapes of `raw` without decoding: finds each backslash with `memchr` and checks
    /// what follows it, so plain runs cost no byte loop; throws what ``decode(_:into:)`` would.
    static func validate(_ raw: UnsafeRawBufferPointer) throws(Failure) {
        guard let base = raw.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let end = raw.count
        var index = 0
        while index < end {
            guard let found = memchr(base + index, 0x5C, end - index) else { return }
            index = base.distance(to: UnsafeRawPointer(found))
            guard index + 1 < end else { throw Failure(offset: index, reason: "a string ends inside an escape") }
            switch bytes[index + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                index += 2
            case UInt8(ascii: "u"):
                guard let scalar = hex4(bytes, index + 2, end) else {
                    throw Failure(offset: index, reason: "bad \\u escape")
                }
                index += 6
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 6 <= end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                        let low = hex4(bytes, index + 2, end), (0xDC00..<0xE000).contains(low)
                    else { throw Failure(offset: index - 6, reason: "unpaired surrogate in a \\u escape") }
                    index += 6
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw Failure(offset: index - 6, reason: "unpaired surrogate in a \\u escape")
                }
            case let escape:
                throw Failure(offset: index, reason: "unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
            }
        }
    }

    /// The decoded bytes of `raw`, or `nil` for a malformed escape.
    static func decode(_ raw: UnsafeRawBufferPointer) -> [UInt8]? {
        var failed = false
        let decoded = [UInt8](unsafeUninitializedCapacity: max(1, raw.count)) { buffer, initialized in
            if let count = try? decode(raw, into: buffer.baseAddress!) {
                initialized = count
            } else {
                failed = true
                initialized = 0
            }
        }
        return failed ? nil : decoded
    }

    private static func hex4(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
        guard start + 4 <= end else { return nil }
        var value: UInt32 = 0
        for index in start..<start + 4 {
            let digit = ScannerCore.hexDigit(bytes[index])
            guard digit != 0xFF else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Writes `scalar` as UTF-8 at `out`; returns the byte count.
    private static func writeUTF8(_ scalar: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | scalar >> 6)
            out[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | scalar >> 12)
            out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(0xF0 | scalar >> 18)
            out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
