/// A small command-line argument reader: options with values, flags and positional arguments.

/// The arguments of one command, read against the options that command declares.
struct Arguments {
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// Reads `arguments`; `valueOptions` take a value (`--name V` or `--name=V`), `flagOptions` do not.
    ///
    /// Throws a usage error for an unknown option or a missing value.
    init(_ arguments: [String], valueOptions: Set<String>, flagOptions: Set<String> = []) throws(CLIError) {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flagOptions.contains(name) {
                guard inlineValue == nil else { throw .usage("option --\(name) takes no value") }
                flags.insert(name)
            } else if valueOptions.contains(name) {
                if let inlineValue {
                    values[name, default: []].append(inlineValue)
                } else {
                    guard index < arguments.count else { throw .usage("option --\(name) needs a value") }
                    values[name, default: []].append(arguments[index])
                    index += 1
                }
            } else {
                throw .usage("unknown option --\(name)")
            }
        }
    }

    /// The last value given for `--name`, if any.
    func value(_ name: String) -> String? { values[name]?.last }

    /// Every value given for `--name`, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Whether the flag `--name` was given.
    func has(_ name: String) -> Bool { flags.contains(name) }

    /// The value of `--name`, or a usage error saying it is required.
    func required(_ name: String) throws(CLIError) -> String {
        guard let value = value(name) else { throw .usage("missing required option --\(name)") }
        return value
    }

    /// The value of `--name` when it is one of `choices`, `fallback` when absent.
    func choice(_ name: String, in choices: [String], default fallback: String) throws(CLIError) -> String {
        let chosen = value(name) ?? fallback
        guard choices.contains(chosen) else {
            throw .usage("--\(name) must be one of \(choices.joined(separator: ", ")), not '\(chosen)'")
        }
        return chosen
    }
}
