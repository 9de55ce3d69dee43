/// Bitwise functions on longs (binary_and ... bitset_count_ones) and trigonometry on reals.

import Foundation
import TableModel

enum BitAndTrigFunctions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "binary_and", "binary_or", "binary_xor":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .long) { v in
                guard let x = Convert.toLong(v[0]), let y = Convert.toLong(v[1]) else { return .null }
                switch name {
                case "binary_and": return .long(x & y)
                case "binary_or": return .long(x | y)
                default: return .long(x ^ y)
                }
            }
        case "binary_not":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.long) { v in Convert.toLong(v).map { .long(~$0) } ?? .null }
        case "binary_shift_left", "binary_shift_right":
            try Functions.arity(name, a, 2...2)
            let left = name == "binary_shift_left"
            return try combine(a, .long) { v in
                guard let x = Convert.toLong(v[0]), let shift = Convert.toLong(v[1]), (0..<64).contains(shift) else {
                    return .null
                }
                return .long(left ? x << shift : x >> shift)
            }
        case "bitset_count_ones":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.long) { v in Convert.toLong(v).map { .long(Int64($0.nonzeroBitCount)) } ?? .null }
        case "pi":
            try Functions.arity(name, a, 0...0)
            return .constant(.real(Double.pi), .real)
        case "sin", "cos", "tan", "asin", "acos", "atan", "cot", "radians", "degrees":
            try Functions.arity(name, a, 1...1)
            let function: (Double) -> Double =
                switch name {
                case "sin": { Foundation.sin($0) }
                case "cos": { Foundation.cos($0) }
                case "tan": { Foundation.tan($0) }
                case "asin": { Foundation.asin($0) }
                case "acos": { Foundation.acos($0) }
                case "atan": { Foundation.atan($0) }
                case "cot": { 1 / Foundation.tan($0) }
                case "radians": { $0 * Double.pi / 180 }
                default: { $0 * 180 / Double.pi }
                }
            return a[0].map(.real) { v in Convert.toReal(v).map { .real(function($0)) } ?? .null }
        case "atan2":
            try Functions.arity(name, a, 2...2)
            return try combine(a, .real) { v in
                guard let y = Convert.toReal(v[0]), let x = Convert.toReal(v[1]) else { return .null }
                return .real(Foundation.atan2(y, x))
            }
        default:
            return nil
        }
    }
}
