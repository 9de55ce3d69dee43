/// Byte-level and token-level mutations of seed inputs, in the manner of libFuzzer's mutators.

/// Turns seeds into new inputs: flips, inserts, deletes, duplicates, splices and dictionary tokens.
struct Mutator {
    /// Inputs grow to at most this many bytes.
    let maxLength: Int
    /// Tokens of the target's input language (keywords, punctuation, extreme numbers).
    let dictionary: [[UInt8]]

    /// Values at the edges of integer and float ranges, which parsers mishandle most often.
    static let interestingNumbers: [String] = [
        "0", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "18446744073709551616", "2147483648", "1e308", "1e309", "-1e309", "4.9e-324", "NaN", "Infinity",
        "0x7fffffffffffffff", "1" + String(repeating: "0", count: 40), "-0", "0.0000000000000000000001",
    ]

    /// A new input made from `seed` by one to eight stacked mutations, sometimes spliced with `other`.
    func mutate(_ seed: [UInt8], other: [UInt8], random: inout SeededRandom) -> [UInt8] {
        var data = seed
        let rounds = 1 + random.below(8)
        for _ in 0..<rounds {
            apply(random.below(11), to: &data, other: other, random: &random)
        }
        if data.count > maxLength { data.removeLast(data.count - maxLength) }
        return data
    }

    private func apply(_ kind: Int, to data: inout [UInt8], other: [UInt8], random: inout SeededRandom) {
        switch kind {
        case 0 where !data.isEmpty:
            let at = random.below(data.count)
            data[at] ^= UInt8(1 << random.below(8))
        case 1 where !data.isEmpty:
            data[random.below(data.count)] = UInt8(truncatingIfNeeded: random.next())
        case 2:
            let at = random.below(data.count + 1)
            let special: [UInt8] = [0x00, 0xFF, 0xC0, 0xED, 0xA0, 0x80, 0x22, 0x5C, 0x27, 0x0A, 0x7B, 0x5B]
            data.insert(special[random.below(special.count)], at: at)
        case 3 where !data.isEmpty:
            let at = random.below(data.count)
            let length = min(data.count - at, 1 + random.below(16))
            data.removeSubrange(at..<(at + length))
        case 4 where !data.isEmpty:
            // Duplicate a chunk: repeated structure finds depth and size limits.
            let at = random.below(data.count)
            let length = min(data.count - at, 1 + random.below(64))
            let chunk = Array(data[at..<(at + length)])
            let copies = 1 + random.below(random.oneIn(8) ? 200 : 4)
            let target = random.below(data.count + 1)
            data.insert(contentsOf: Array(repeating: chunk, count: copies).joined(), at: target)
        case 5 where !other.isEmpty:
            // Splice: a piece of another seed in place of a piece of this one.
            let from = random.below(other.count)
            let length = min(other.count - from, 1 + random.below(256))
            let at = random.below(data.count + 1)
            let cut = min(data.count - at, random.below(64))
            data.replaceSubrange(at..<(at + cut), with: other[from..<(from + length)])
        case 6...7 where !dictionary.isEmpty:
            let token = dictionary[random.below(dictionary.count)]
            data.insert(contentsOf: token, at: random.below(data.count + 1))
        case 8:
            replaceNumber(in: &data, random: &random)
        case 9 where !data.isEmpty:
            // Truncate: bodies cut short are the commonest real damage.
            data.removeLast(random.below(data.count))
        case 10 where data.count > 1:
            let a = random.below(data.count)
            let b = random.below(data.count)
            data.swapAt(a, b)
        default:
            data.append(UInt8(truncatingIfNeeded: random.next()))
        }
    }

    /// Replaces a run of digits with an extreme number, or inserts one.
    private func replaceNumber(in data: inout [UInt8], random: inout SeededRandom) {
        let number = Array(Self.interestingNumbers[random.below(Self.interestingNumbers.count)].utf8)
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        let starts = data.indices.filter { isDigit(data[$0]) && ($0 == 0 || !isDigit(data[$0 - 1])) }
        guard !starts.isEmpty else {
            data.insert(contentsOf: number, at: random.below(data.count + 1))
            return
        }
        let start = starts[random.below(starts.count)]
        var end = start
        while end < data.count, isDigit(data[end]) { end += 1 }
        data.replaceSubrange(start..<end, with: number)
    }
}
