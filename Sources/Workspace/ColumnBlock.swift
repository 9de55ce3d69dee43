/// One column of one block of rows in the column snapshot: how its cells are packed into a BLOB and
/// read back with exactly the values SQLite's own cells give.

import SQLiteSupport
import TableModel

/// A stored cell, compared by its exact bytes: text is kept as UTF-8 (two spellings of "é" stay
/// apart) and a real by its bit pattern (so `-0.0` is not `0.0`).
enum SnapshotCell: Hashable {
    case null
    case integer(Int64)
    case real(UInt64)
    case text([UInt8])
    case blob([UInt8])

    /// The cell in result column `index` of the statement's current row.
    static func read(_ statement: SQLiteStatement, at index: Int) -> SnapshotCell {
        switch statement.storageClass(at: index) {
        case .null: return .null
        case .integer: return .integer(statement.integer(at: index))
        case .real: return .real(statement.real(at: index).bitPattern)
        case .text: return .text(statement.withText(at: index) { Array($0) })
        case .blob:
            guard case .blob(let bytes) = statement.value(at: index) else { return .blob([]) }
            return .blob(bytes)
        }
    }

    /// The value a workspace cursor gives for this cell in a column of `type`.
    func value(as type: ColumnType) -> Value {
        switch self {
        case .null: return StoredValue.value(.null, as: type)
        case .integer(let number): return StoredValue.value(.integer(number), as: type)
        case .real(let bits): return StoredValue.value(.real(Double(bitPattern: bits)), as: type)
        case .text(let bytes): return StoredValue.value(.text(String(decoding: bytes, as: UTF8.self)), as: type)
        case .blob(let bytes): return StoredValue.value(.blob(bytes), as: type)
        }
    }
}

/// Collects one column's cells for a block and packs them.
///
/// Layout (little-endian): a column whose cells are all integers or NULL is `I`, a flag byte
/// (1 when some cell is NULL), one Int64 per row, then (with the flag) one byte per row, 1 for NULL.
/// Any other column is `D`, the number of distinct cells (UInt32), each distinct cell (a tag byte:
/// 0 NULL, 1 integer, 2 real, 3 text, 4 blob; then 8 bytes, or a UInt32 length and the bytes), and
/// one code per row naming its cell: a byte when there are at most 256 cells, a UInt16 when at most
/// 65,536, a UInt32 otherwise.
struct ColumnBlockWriter {
    private var cells: [SnapshotCell] = []
    private var codes: [SnapshotCell: UInt32] = [:]
    private var rowCodes: [UInt32] = []
    private var integers: [Int64] = []
    private var nulls: [UInt8] = []
    private var onlyIntegers = true

    /// The number of rows appended.
    var count: Int { onlyIntegers ? integers.count : rowCodes.count }

    mutating func append(_ cell: SnapshotCell) {
        if onlyIntegers {
            switch cell {
            case .integer(let number):
                integers.append(number)
                nulls.append(0)
                return
            case .null:
                integers.append(0)
                nulls.append(1)
                return
            default:
                onlyIntegers = false
                for (number, null) in zip(integers, nulls) { appendCoded(null == 1 ? .null : .integer(number)) }
                integers = []
                nulls = []
            }
        }
        appendCoded(cell)
    }

    private mutating func appendCoded(_ cell: SnapshotCell) {
        if let code = codes[cell] {
            rowCodes.append(code)
            return
        }
        let code = UInt32(cells.count)
        codes[cell] = code
        cells.append(cell)
        rowCodes.append(code)
    }

    /// The packed column.
    func packed() -> [UInt8] {
        var bytes: [UInt8] = []
        if onlyIntegers {
            let hasNulls = nulls.contains(1)
            bytes.reserveCapacity(2 + integers.count * 9)
            bytes.append(UInt8(ascii: "I"))
            bytes.append(hasNulls ? 1 : 0)
            for number in integers { Self.put(UInt64(bitPattern: number), into: &bytes) }
            if hasNulls { bytes.append(contentsOf: nulls) }
            return bytes
        }
        bytes.append(UInt8(ascii: "D"))
        Self.put32(UInt32(cells.count), into: &bytes)
        for cell in cells {
            switch cell {
            case .null: bytes.append(0)
            case .integer(let number):
                bytes.append(1)
                Self.put(UInt64(bitPattern: number), into: &bytes)
            case .real(let bits):
                bytes.append(2)
                Self.put(bits, into: &bytes)
            case .text(let text):
                bytes.append(3)
                Self.put32(UInt32(text.count), into: &bytes)
                bytes.append(contentsOf: text)
            case .blob(let blob):
                bytes.append(4)
                Self.put32(UInt32(blob.count), into: &bytes)
                bytes.append(contentsOf: blob)
            }
        }
        // Codes take one, two or four bytes, as few as the number of distinct cells allows.
        switch cells.count {
        case ...256: bytes += rowCodes.map { UInt8(truncatingIfNeeded: $0) }
        case ...65_536: for code in rowCodes { withUnsafeBytes(of: UInt16(code).littleEndian) { bytes += $0 } }
        default: for code in rowCodes { Self.put32(code, into: &bytes) }
        }
        return bytes
    }

    private static func put(_ number: UInt64, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func put32(_ number: UInt32, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// A packed column block that answers for its rows as ``SQLiteColumnCursor`` would.
final class ColumnBlock {
    private enum Storage {
        case integers([Int64], nulls: [UInt8]?)
        case dictionary(cells: [SnapshotCell], codes: [UInt32])
    }

    /// The KQL type of the column.
    let type: ColumnType
    private let storage: Storage
    /// Each distinct cell's value, made the first time a row asks for it. (A block is read by one
    /// thread, so the exclusivity check on every read is not needed.)
    @exclusivity(unchecked) private var values: [Value?]

    /// The problem found in a packed block that does not have the layout of ``ColumnBlockWriter``.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// Unpacks the block `blob` points at. An integer column's numbers are read from the database
    /// pages straight into place; any other column is read whole, then unpacked.
    ///
    /// - Throws: ``Malformed`` when the block does not have the packed layout, or the SQLite error
    ///   of a failed read.
    convenience init(reading blob: SQLiteBlob, rows: Int, type: ColumnType) throws {
        let size = blob.count
        var header: (kind: UInt8, flag: UInt8) = (0, 0)
        if size >= 2 { try withUnsafeMutableBytes(of: &header) { try blob.read(into: $0, at: 0) } }
        guard header.kind == UInt8(ascii: "I") else {
            let bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                try blob.read(into: UnsafeMutableRawBufferPointer(buffer), at: 0)
                initialized = size
            }
            self.init(storage: try bytes.withUnsafeBytes { try Self.dictionary($0, rows: rows) }, type: type)
            return
        }
        let hasNulls = header.flag == 1
        let expected = 2 + rows * 8 + (hasNulls ? rows : 0)
        guard rows >= 0, size == expected else {
            throw Malformed(description: "\(size) bytes where the layout needs \(expected)")
        }
        let integers = try [Int64](unsafeUninitializedCapacity: rows) { buffer, initialized in
            try blob.read(into: UnsafeMutableRawBufferPointer(buffer), at: 2)
            initialized = rows
        }
        let nulls =
            hasNulls
            ? try [UInt8](unsafeUninitializedCapacity: rows) { buffer, initialized in
                try blob.read(into: UnsafeMutableRawBufferPointer(buffer), at: 2 + rows * 8)
                initialized = rows
            } : nil
        #if _endian(little)
            self.init(storage: .integers(integers, nulls: nulls), type: type)
        #else
            self.init(storage: .integers(integers.map { Int64(littleEndian: $0) }, nulls: nulls), type: type)
        #endif
    }

    private init(storage: Storage, type: ColumnType) {
        self.type = type
        self.storage = storage
        switch storage {
        case .integers: values = []
        case .dictionary(let cells, _): values = Array(repeating: nil, count: cells.count)
        }
    }

    /// The storage of a packed `D` block (see ``ColumnBlockWriter``), or what is wrong with it.
    private static func dictionary(_ bytes: UnsafeRawBufferPointer, rows: Int) throws(Malformed) -> Storage {
        var reader = ByteReader(bytes: bytes)
        let tag = try reader.byte()
        guard tag == UInt8(ascii: "D") else { throw Malformed(description: "unknown block layout \(tag)") }
        let count = Int(try reader.uint32())
        var cells: [SnapshotCell] = []
        cells.reserveCapacity(min(count, rows))
        for _ in 0..<count {
            switch try reader.byte() {
            case 0: cells.append(.null)
            case 1: cells.append(.integer(Int64(bitPattern: try reader.uint64())))
            case 2: cells.append(.real(try reader.uint64()))
            case 3: cells.append(.text(try reader.bytes(Int(try reader.uint32()))))
            case 4: cells.append(.blob(try reader.bytes(Int(try reader.uint32()))))
            case let tag: throw Malformed(description: "unknown cell tag \(tag)")
            }
        }
        let codes: [UInt32]
        switch count {
        case ...256: codes = try reader.widened(UInt8.self, count: rows)
        case ...65_536: codes = try reader.widened(UInt16.self, count: rows)
        default: codes = try reader.widened(UInt32.self, count: rows)
        }
        if let code = codes.max(), code >= count {
            throw Malformed(description: "code \(code) beyond \(count) cells")
        }
        guard reader.isAtEnd else {
            throw Malformed(description: "\(bytes.count - reader.offset) bytes left over")
        }
        return .dictionary(cells: cells, codes: codes)
    }

    /// The block's rows as codes or integers.
    var rows: BlockColumn {
        switch storage {
        case .integers(let numbers, let nulls): return .integers(numbers, nulls: nulls)
        case .dictionary(let cells, let codes): return .codes(codes, distinct: cells.count)
        }
    }

    /// The value of the cell in `row`.
    func value(at row: Int) -> Value {
        switch storage {
        case .integers(let numbers, let nulls):
            if let nulls, nulls[row] == 1 { return StoredValue.value(.null, as: type) }
            switch type {
            case .datetime: return .datetime(DateTime(ticks: numbers[row]))
            case .long: return .long(numbers[row])
            default: return StoredValue.value(.integer(numbers[row]), as: type)
            }
        case .dictionary(let cells, let codes):
            let code = Int(codes[row])
            if let value = values[code] { return value }
            let value = cells[code].value(as: type)
            values[code] = value
            return value
        }
    }

    /// The UTF-8 text of a string column's cell in `row` (empty for NULL); `nil` when the column is not
    /// a string column or the cell is not text.
    func withUTF8(at row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        guard type == .string else { return nil }
        switch storage {
        case .integers(_, let nulls):
            guard let nulls, nulls[row] == 1 else { return nil }
            return body(UnsafeBufferPointer(start: nil, count: 0))
        case .dictionary(let cells, let codes):
            switch cells[Int(codes[row])] {
            case .text(let text): return text.withUnsafeBufferPointer(body)
            case .null: return body(UnsafeBufferPointer(start: nil, count: 0))
            default: return nil
            }
        }
    }

    /// The integer in `row` of a datetime, timespan, long or int column; `nil` for NULL or another kind
    /// of cell.
    func integer(at row: Int) -> Int64? {
        let number: Int64
        switch storage {
        case .integers(let numbers, let nulls):
            if let nulls, nulls[row] == 1 { return nil }
            number = numbers[row]
        case .dictionary(let cells, let codes):
            guard case .integer(let stored) = cells[Int(codes[row])] else { return nil }
            number = stored
        }
        switch type {
        case .datetime, .timespan, .long: return number
        case .int: return Int32(exactly: number).map(Int64.init)
        default: return nil
        }
    }
}

/// Reads little-endian numbers and byte runs from a packed block, refusing to read past its end.
private struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() throws(ColumnBlock.Malformed) -> UInt8 {
        guard offset < bytes.count else { throw ColumnBlock.Malformed(description: "cut short at byte \(offset)") }
        offset += 1
        return bytes[offset - 1]
    }

    mutating func uint64() throws(ColumnBlock.Malformed) -> UInt64 {
        UInt64(littleEndian: try fixed(UInt64.self))
    }

    mutating func uint32() throws(ColumnBlock.Malformed) -> UInt32 {
        UInt32(littleEndian: try fixed(UInt32.self))
    }

    mutating func bytes(_ count: Int) throws(ColumnBlock.Malformed) -> [UInt8] {
        let start = try claim(count, of: 1)
        return Array(UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]))
    }

    /// `count` little-endian integers of type `T`, each widened to a `UInt32` (codes of one, two or
    /// four bytes).
    mutating func widened<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, count: Int)
        throws(ColumnBlock.Malformed) -> [UInt32]
    {
        let size = MemoryLayout<T>.size
        let start = try claim(count, of: size)
        let source = bytes
        return [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                let raw = source.loadUnaligned(fromByteOffset: start + index * size, as: T.self)
                buffer[index] = UInt32(T(littleEndian: raw))
            }
            initialized = count
        }
    }

    /// Moves past `count` items of `size` bytes each, returning where they start.
    private mutating func claim(_ count: Int, of size: Int) throws(ColumnBlock.Malformed) -> Int {
        guard count >= 0, (bytes.count - offset) / size >= count else {
            throw ColumnBlock.Malformed(description: "cut short at byte \(offset)")
        }
        defer { offset += size * count }
        return offset
    }

    private mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws(ColumnBlock.Malformed) -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - offset >= size else {
            throw ColumnBlock.Malformed(description: "cut short at byte \(offset)")
        }
        defer { offset += size }
        return bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
    }
}
