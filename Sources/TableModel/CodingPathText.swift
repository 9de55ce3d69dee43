/// A Codable coding path in the form a user reads it: `routes[0]`, `identities[1].objectId`.

extension Array where Element == any CodingKey {
    /// The path as text: keys joined with dots, positions in brackets.
    public var readableText: String {
        var text = ""
        for key in self {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }
}
