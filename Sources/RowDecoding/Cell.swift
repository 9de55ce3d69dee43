/// A typed cell borrowed from the scanner's buffer: the row visitor's view of a value, with no copies.

import Foundation
import TableModel

/// One cell of a row, already typed by its column's declared type.
///
/// Numbers, datetimes, timespans, guids, bools and decimals are decoded; text (a string cell, the
/// JSON of a dynamic cell) stays in the scanner's buffer as a ``TextSlice`` until asked for. A cell
/// is valid only during the ``ResponseVisitor/visitRow(_:)`` call that hands it out: its slices
/// point into a buffer the next chunk overwrites. ``value`` makes an owned ``Value``.
public enum Cell {
    /// A null of any type except string (string cells are never null: a null is the empty string).
    case null
    case bool(Bool)
    case int(Int32)
    case long(Int64)
    case real(Double)
    case decimal(Decimal)
    case datetime(DateTime)
    case timespan(Timespan)
    case guid(UUID)
    /// A string cell.
    case string(TextSlice)
    /// A dynamic cell: JSON text (of an object or array sent inside a string, or sent as is) or a
    /// bare string.
    case dynamic(TextSlice)

    /// The cell as an owned value, exactly as ``ResponseScanner/next()`` reports it.
    public var value: Value {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .long(let number): return .long(number)
        case .real(let number): return .real(number)
        case .decimal(let number): return .decimal(number)
        case .datetime(let instant): return .datetime(instant)
        case .timespan(let span): return .timespan(span)
        case .guid(let id): return .guid(id)
        case .string(let text): return .string(text.string)
        case .dynamic(let text): return .dynamic(text.dynamic)
        }
    }
}

/// Text still in the scanner's buffer: the raw bytes of a JSON string (between the quotes, escapes
/// not yet decoded) or, for a dynamic cell sent as a JSON value, that value's JSON text.
///
/// The scanner has checked it already: valid UTF-8, well-formed escapes. Valid only while the cell is.
public struct TextSlice {
    /// The raw bytes, as they are in the body.
    public let raw: UnsafeRawBufferPointer
    /// Whether ``raw`` holds backslash escapes (so it differs from the decoded text).
    public let isEscaped: Bool
    /// Whether ``raw`` is JSON text of a value rather than the contents of a JSON string.
    public let isJSONValue: Bool

    init(_ raw: UnsafeRawBufferPointer, escaped: Bool, jsonValue: Bool = false) {
        self.raw = raw
        isEscaped = escaped
        isJSONValue = jsonValue
    }

    /// The empty string.
    static var empty: TextSlice { TextSlice(UnsafeRawBufferPointer(start: nil, count: 0), escaped: false) }

    /// Calls `body` with the decoded UTF-8 bytes: the buffer itself when nothing is escaped, else a
    /// temporary copy with the escapes resolved.
    public func withDecodedUTF8<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        guard isEscaped && !isJSONValue else { return try body(raw) }
        let decoded = JSONEscapes.decode(raw) ?? []
        return try decoded.withUnsafeBytes(body)
    }

    /// Whether the decoded text equals `text`, compared without making a `String`.
    public func equals(_ text: StaticString) -> Bool {
        withDecodedUTF8 { bytes in
            bytes.count == text.utf8CodeUnitCount
                && (bytes.isEmpty || memcmp(bytes.baseAddress!, text.utf8Start, bytes.count) == 0)
        }
    }

    /// The decoded text.
    public var string: String {
        withDecodedUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// The dynamic value: JSON text of an object or array is parsed, anything else is kept as a string.
    public var dynamic: Dynamic {
        withDecodedUTF8 { bytes in
            let buffer = bytes.bindMemory(to: UInt8.self)
            if isJSONValue {
                return DynamicTextParser.parse(buffer) ?? .string(String(decoding: buffer, as: UTF8.self))
            }
            if let first = buffer.first(where: { $0 != 0x20 }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
            {
                if let parsed = DynamicTextParser.parse(buffer) { return parsed }
            }
            return .string(String(decoding: buffer, as: UTF8.self))
        }
    }
}

/// The cells of one row, in column order; valid only during the visit that hands it out.
public struct RowCells: RandomAccessCollection {
    @usableFromInline let base: UnsafePointer<Cell>
    /// The number of cells (the table's column count).
    public let count: Int

    init(_ base: UnsafePointer<Cell>, count: Int) {
        self.base = base
        self.count = count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The cell of column `index`.
    @inlinable public subscript(index: Int) -> Cell {
        precondition(index >= 0 && index < count, "cell index out of range")
        return base[index]
    }

    /// The row as owned values.
    public var values: [Value] { map(\.value) }
}
