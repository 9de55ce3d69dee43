/// Assembles a JSON value kept whole (the `error` object, a non-scalar cell) from streamed tokens.

import TableModel

/// Builds a ``Dynamic`` from values and container boundaries given in document order.
struct DynamicBuilder {
    private enum Partial {
        case array([Dynamic])
        case object([String: Dynamic], key: String?)
    }

    private var open: [Partial] = []

    /// Opens an object or an array.
    mutating func begin(object: Bool) {
        open.append(object ? .object([:], key: nil) : .array([]))
    }

    /// Names the next member of the innermost object.
    mutating func setKey(_ key: String) {
        guard case .object(let bag, _) = open.last else { return }
        open[open.count - 1] = .object(bag, key: key)
    }

    /// Adds a complete value to the innermost container.
    mutating func add(_ value: Dynamic) {
        guard let last = open.popLast() else { return }
        switch last {
        case .array(var items):
            items.append(value)
            open.append(.array(items))
        case .object(var bag, let key):
            // Duplicate keys keep the last value, as JSONParser does.
            if let key { bag[key] = value }
            open.append(.object(bag, key: nil))
        }
    }

    /// Closes the innermost container; returns the whole value when the outermost one closes.
    mutating func end() -> Dynamic? {
        guard let last = open.popLast() else { return nil }
        let value: Dynamic
        switch last {
        case .array(let items): value = .array(items)
        case .object(let bag, _): value = .object(bag)
        }
        if open.isEmpty { return value }
        add(value)
        return nil
    }
}
