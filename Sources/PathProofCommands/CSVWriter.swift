/// RFC 4180 CSV written as UTF-8 bytes into one reused buffer, the hot path of large query results.

import TableModel

/// Writes result rows as CSV: a field is quoted when any of its bytes is a comma, a quote, CR or LF,
/// and its quotes are doubled; rows end with CRLF. The bytes go to `emit` in pieces of about a
/// megabyte, so a large result is never held twice.
struct CSVWriter {
    private var buffer: ByteBuffer
    private let pieceSize: Int
    private let emit: (UnsafeRawBufferPointer) -> Void

    /// A writer handing its bytes to `emit` whenever about `pieceSize` bytes are ready.
    init(pieceSize: Int = 1 << 20, emit: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.pieceSize = pieceSize
        self.emit = emit
        buffer = ByteBuffer(capacity: pieceSize + 4096)
    }

    /// Writes the header row and every row of `table`.
    mutating func write(_ table: Table) {
        for (index, column) in table.columns.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendField(column.name)
        }
        buffer.append(0x0D, 0x0A)
        for row in table.rows {
            for index in row.indices {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                switch row[index] {
                case .string(let text): appendField(text)
                case .datetime(let instant): appendDateTime(instant)
                case .long(let number): appendInteger(number)
                case .null: break
                case let value: appendField(ResultFormatter.cellText(value))
                }
            }
            buffer.append(0x0D, 0x0A)
            if buffer.count >= pieceSize { flush() }
        }
    }

    /// Hands what is buffered to `emit`.
    mutating func flush() {
        guard buffer.count > 0 else { return }
        buffer.withBytes(emit)
        buffer.removeAll()
    }

    private mutating func appendField(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard Self.needsQuotes(bytes) else {
                buffer.append(bytes)
                return
            }
            buffer.append(UInt8(ascii: "\""))
            for byte in bytes {
                buffer.append(byte)
                if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            }
            buffer.append(UInt8(ascii: "\""))
        }
    }

    /// Whether a field holds a comma, a quote, CR or LF. All four are at most 0x2C, which most
    /// bytes of log text are not, so a byte usually costs one comparison.
    private static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte <= 0x2C {
            if byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
        }
        return false
    }

    private mutating func appendInteger(_ number: Int64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 19 digits and a sign
        withUnsafeMutableBytes(of: &digits) { scratch in
            var rest = number.magnitude
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            if number < 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "-")
            }
            buffer.append(UnsafeRawBufferPointer(rebasing: scratch[position...]))
        }
    }

    /// `2024-01-02T03:04:05.0000000Z`, as ``DateTime/kustoText`` writes it.
    private mutating func appendDateTime(_ instant: DateTime) {
        guard instant.ticks >= 0, instant.ticks <= DateTime.maxTicks else {
            appendField(instant.kustoText)
            return
        }
        let c = instant.components
        buffer.appendDigits(c.year, width: 4)
        buffer.append(UInt8(ascii: "-"))
        buffer.appendDigits(c.month, width: 2)
        buffer.append(UInt8(ascii: "-"))
        buffer.appendDigits(c.day, width: 2)
        buffer.append(UInt8(ascii: "T"))
        buffer.appendDigits(c.hour, width: 2)
        buffer.append(UInt8(ascii: ":"))
        buffer.appendDigits(c.minute, width: 2)
        buffer.append(UInt8(ascii: ":"))
        buffer.appendDigits(c.second, width: 2)
        buffer.append(UInt8(ascii: "."))
        buffer.appendDigits(Int(c.fraction), width: 7)
        buffer.append(UInt8(ascii: "Z"))
    }
}

/// A growable byte buffer whose appends store without Array's uniqueness and bounds checks.
private final class ByteBuffer {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    func removeAll() { count = 0 }

    func withBytes(_ body: (UnsafeRawBufferPointer) -> Void) {
        body(UnsafeRawBufferPointer(start: storage, count: count))
    }

    @inline(__always) private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let grown = max(capacity * 2, count + extra)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.update(from: storage, count: count)
        storage.deallocate()
        storage = moved
        capacity = grown
    }

    @inline(__always) func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    @inline(__always) func append(_ first: UInt8, _ second: UInt8) {
        reserve(2)
        storage[count] = first
        storage[count + 1] = second
        count += 2
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(UnsafeRawBufferPointer(bytes))
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (storage + count).update(from: start.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count += bytes.count
    }

    /// `value` (not negative) in exactly `width` decimal digits, zero-padded.
    func appendDigits(_ value: Int, width: Int) {
        reserve(width)
        var rest = value
        for position in stride(from: count + width - 1, through: count, by: -1) {
            storage[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        count += width
    }
}
