/// URL functions: parse_url, url_encode, url_encode_component.

import Foundation
import TableModel

enum URLFunctions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        switch name {
        case "parse_url":
            try Functions.arity(name, a, 1...1)
            return a[0].map(.dynamic) { v in .dynamic(parse(v.kqlString)) }
        case "url_encode_component", "url_encode":
            try Functions.arity(name, a, 1...1)
            var allowed = CharacterSet.alphanumerics.intersection(
                CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
            allowed.insert(charactersIn: "-_.~")
            let form = name == "url_encode"
            return a[0].map(.string) { v in
                let encoded = v.kqlString.addingPercentEncoding(withAllowedCharacters: allowed)?
                    .lowercasedPercentEscapes
                // url_encode writes a space as '+', url_encode_component as %20.
                return .string(form ? (encoded ?? "").replacingOccurrences(of: "%20", with: "+") : encoded ?? "")
            }
        default:
            return nil
        }
    }

    /// The parts of an absolute URL, keyed as Kusto names them; an empty bag for anything else.
    static func parse(_ text: String) -> Dynamic {
        guard let components = URLComponents(string: text), let scheme = components.scheme, components.host != nil
        else { return .object([:]) }
        var query: [String: Dynamic] = [:]
        for item in components.queryItems ?? [] { query[item.name] = .string(item.value ?? "") }
        return .object([
            "Scheme": .string(scheme), "Host": .string(components.host ?? ""),
            "Port": .string(components.port.map(String.init) ?? ""),
            "Path": .string(components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path),
            "Username": .string(components.user ?? ""), "Password": .string(components.password ?? ""),
            "Query Parameters": .object(query), "Fragment": .string(components.fragment ?? ""),
        ])
    }
}

extension String {
    /// Percent escapes in lower case (`%2f`), as Kusto writes them.
    fileprivate var lowercasedPercentEscapes: String {
        var output = ""
        var pending = 0
        for char in self {
            if char == "%" {
                pending = 2
                output.append(char)
            } else if pending > 0 {
                pending -= 1
                output += char.lowercased()
            } else {
                output.append(char)
            }
        }
        return output
    }
}
