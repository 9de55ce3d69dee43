/// IPv4/IPv6 parsing as logs write addresses, real CIDR arithmetic, and what counts as public.

import EvidenceAnalysis
import Testing

struct IPAddressTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"),
        ("192.0.2.1:443", "192.0.2.1"),
        ("[2001:db8::1]:443", "2001:db8:0:0:0:0:0:1"),
        ("2001:db8::1", "2001:db8:0:0:0:0:0:1"),
        ("fe80::1%eth0", "fe80:0:0:0:0:0:0:1"),
        ("::ffff:10.1.2.3", "10.1.2.3"),
        ("::", "0:0:0:0:0:0:0:0"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("64:ff9b::192.0.2.33", "64:ff9b:0:0:0:0:c000:221"),
    ])
    func `addresses parse in every logged form`(text: String, expected: String) {
        #expect(IPAddress(text)?.description == expected)
    }

    @Test(arguments: [
        "", "10.1.2", "10.1.2.256", "1.2.3.4.5", "01234.1.1.1", "1::2::3", "12345::1", "<Redacted>",
        "1:2:3:4:5:6:7:8:9", "a.b.c.d",
    ])
    func `malformed addresses are refused`(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func `CIDR ranges contain exactly their addresses`() throws {
        let range = try #require(CIDRRange("10.10.0.0/27"))
        #expect(range.contains(IPAddress("10.10.0.0")!))
        #expect(range.contains(IPAddress("10.10.0.31")!))
        #expect(!range.contains(IPAddress("10.10.0.32")!))
        #expect(!range.contains(IPAddress("10.10.1.5")!))
        let v6 = try #require(CIDRRange("fd00:10::/64"))
        #expect(v6.contains(IPAddress("fd00:10::abcd")!))
        #expect(v6.contains(IPAddress("fd00:10:0:0:ffff:ffff:ffff:ffff")!))
        #expect(!v6.contains(IPAddress("fd00:10:0:1::1")!))
        #expect(!v6.contains(IPAddress("10.10.0.1")!))
        #expect(!range.contains(IPAddress("::ffff:10.10.1.1")!))
        #expect(range.contains(IPAddress("::ffff:10.10.0.1")!))
    }

    @Test func `host bits in a range are cleared and odd prefixes work`() throws {
        let range = try #require(CIDRRange("172.16.5.77/12"))
        #expect(range.description == "172.16.0.0/12")
        #expect(range.contains(IPAddress("172.31.255.255")!))
        #expect(!range.contains(IPAddress("172.32.0.0")!))
        #expect(CIDRRange("0.0.0.0/0")?.contains(IPAddress("203.0.113.9")!) == true)
        #expect(CIDRRange("2001:db8::/31")?.contains(IPAddress("2001:db9::1")!) == true)
        #expect(CIDRRange("2001:db8::/33")?.contains(IPAddress("2001:db8:8000::1")!) == false)
        #expect(CIDRRange("192.0.2.7")?.prefixLength == 32)
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0:27", "::/129", "10.0.0.0/-1", "10.0.0.0/2 7"])
    func `malformed ranges are refused`(text: String) {
        #expect(CIDRRange(text) == nil)
    }

    @Test(arguments: [
        ("10.1.2.3", false), ("172.20.0.1", false), ("192.168.1.1", false), ("100.64.0.1", false),
        ("127.0.0.1", false), ("169.254.169.254", false), ("fd12::1", false), ("fe80::1", false), ("::1", false),
        ("203.0.113.7", true), ("198.51.100.10", true), ("20.50.1.1", true), ("2001:db8::7", true),
        ("172.32.0.1", true), ("100.128.0.1", true),
    ])
    func `private, shared and local addresses are not public`(text: String, isPublic: Bool) {
        #expect(IPAddress(text)?.isPublic == isPublic)
    }
}
