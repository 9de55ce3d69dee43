/// The tokens of JSON text as the response scanner's lexer cuts them out of its buffer.

/// The kind of one JSON token.
enum TokenKind: UInt8 {
    case beginObject
    case endObject
    case beginArray
    case endArray
    case colon
    case comma
    case string
    case number
    case trueLiteral
    case falseLiteral
    case nullLiteral

    /// Whether the token can stand alone as a JSON value (a scalar or the start of a container).
    var beginsValue: Bool {
        switch self {
        case .endObject, .endArray, .colon, .comma: return false
        default: return true
        }
    }

    /// Whether the token is a scalar (string, number, literal).
    var isScalar: Bool {
        switch self {
        case .string, .number, .trueLiteral, .falseLiteral, .nullLiteral: return true
        default: return false
        }
    }
}

/// One token: its kind and where its bytes lie in the scanner's buffer.
///
/// For a string, `start..<end` is the raw text between the quotes (escapes not yet decoded) and
/// `escaped` says whether it holds any backslash. The positions are valid only until the scanner is
/// fed again.
struct Token {
    var kind: TokenKind
    var start: Int
    var end: Int
    var escaped: Bool

    init(_ kind: TokenKind, _ start: Int, _ end: Int, escaped: Bool = false) {
        self.kind = kind
        self.start = start
        self.end = end
        self.escaped = escaped
    }

    var count: Int { end - start }
}

/// Where the lexer stopped inside a token when the buffered input ran out.
enum PendingToken: Equatable {
    case none
    case string(escaped: Bool, afterBackslash: Bool)
    case number
    case literal
}
