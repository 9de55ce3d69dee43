/// IPv4 and IPv6 addresses and CIDR ranges, parsed and compared bit by bit.

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16).
///
/// An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is read as the IPv4 address it carries.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// Parses an address as logs write it: bare, with a port (`192.0.2.1:443`, `[2001:db8::1]:443`)
    /// or with a zone (`fe80::1%eth0`). Returns `nil` for anything else.
    public init?(_ text: String) {
        var core = Substring(text.trimmed)
        if core.hasPrefix("[") {
            guard let close = core.firstIndex(of: "]") else { return nil }
            core = core[core.index(after: core.startIndex)..<close]
        } else if core.filter({ $0 == ":" }).count == 1, let colon = core.firstIndex(of: ":") {
            core = core[..<colon]
        }
        if let percent = core.firstIndex(of: "%") { core = core[..<percent] }
        self.init(exactly: core)
    }

    /// Parses a bare address, without port or zone.
    init?(exactly core: Substring) {
        if let v4 = IPAddress.parseIPv4(core) {
            bytes = v4
        } else if let v6 = IPAddress.parseIPv6(core) {
            let mapped = v6[0..<10].allSatisfy { $0 == 0 } && v6[10] == 0xFF && v6[11] == 0xFF
            bytes = mapped ? Array(v6[12..<16]) : v6
        } else {
            return nil
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                let value = UInt8(part)
            else { return nil }
            result.append(value)
        }
        return result
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2, !text.isEmpty else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            if part.isEmpty { return [] }
            var result: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = parseIPv4(piece) {
                    result += v4
                    continue
                }
                guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit),
                    let value = UInt16(piece, radix: 16)
                else { return nil }
                result += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// Whether the address is routable on the public internet.
    ///
    /// Private (RFC 1918, unique-local), shared CGNAT (100.64.0.0/10), loopback, link-local and
    /// unspecified addresses are not public. Documentation ranges (192.0.2.0/24, 198.51.100.0/24,
    /// 203.0.113.0/24, 2001:db8::/32) count as public: they stand for public addresses in samples.
    public var isPublic: Bool {
        !IPAddress.nonPublicRanges.contains { $0.contains(self) }
    }

    private static let nonPublicRanges: [CIDRRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.168.0.0/16", "::/128", "::1/128", "fc00::/7", "fe80::/10",
    ].compactMap(CIDRRange.init)
}

/// A CIDR range such as `10.10.0.0/27` or `2001:db8:1::/48`.
public struct CIDRRange: Sendable, Hashable, CustomStringConvertible {
    /// The network address, host bits cleared.
    public let network: IPAddress
    /// The prefix length in bits.
    public let prefixLength: Int

    /// Parses `address/prefix`; a bare address is a single-host range. Host bits set in the
    /// address are cleared (as `ipv4_is_in_range` does). Returns `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(exactly: parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        var length = bits
        if parts.count == 2 {
            guard let value = Int(parts[1]), parts[1].allSatisfy(\.isNumber), (0...bits).contains(value) else {
                return nil
            }
            length = value
        }
        guard let network = IPAddress(masking: address, to: length) else { return nil }
        self.network = network
        self.prefixLength = length
    }

    /// Whether `address` lies inside the range (an IPv4 address is never inside an IPv6 range).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        return IPAddress(masking: address, to: prefixLength) == network
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

extension IPAddress {
    /// `address` with every bit after the first `length` cleared.
    init?(masking address: IPAddress, to length: Int) {
        var bytes = address.bytes
        for index in bytes.indices {
            let kept = max(0, min(8, length - index * 8))
            bytes[index] &= kept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
        }
        self.init(bytes: bytes)
    }
}
