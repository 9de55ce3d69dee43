/// The `previous` link of each archived report must name an earlier leaf of its series, exactly.

import EvidenceSigning
import Testing

@testable import PathProofCommands

struct PreviousReportChainTests {
    typealias Leaf = PreviousReportChain.Leaf

    /// A leaf whose report belongs to `series` and names `previous` (index, envelope, report digests).
    static func leaf(_ index: Int, series: String = "ws#policy-sha256:aa", previous: (Int, String, String)?) -> Leaf {
        let link =
            previous.map { #"{"leafIndex":\#($0.0),"envelopeSha256":"\#($0.1)","reportSha256":"\#($0.2)"}"# }
            ?? "null"
        let report = #"{"run":{"series":"\#(series)"},"previous":\#(link)}"#
        return Leaf(index: index, envelope: Array("envelope-\(index)".utf8), report: Array(report.utf8))
    }

    static func link(to leaf: Leaf) -> (Int, String, String) {
        (leaf.index, sha256Hex(leaf.envelope), sha256Hex(leaf.report))
    }

    @Test func `an honest chain has no problem`() {
        let first = Self.leaf(0, previous: nil)
        let other = Self.leaf(1, series: "ws#policy-sha256:bb", previous: nil)
        let second = Self.leaf(2, previous: Self.link(to: first))
        #expect(PreviousReportChain.problems(in: [first, other, second]).isEmpty)
    }

    @Test func `a wrong digest, a later or missing leaf, and another series are each named`() {
        let first = Self.leaf(0, previous: nil)
        let other = Self.leaf(1, series: "ws#policy-sha256:bb", previous: nil)
        var (index, envelope, report) = Self.link(to: first)
        envelope = String(envelope.reversed())
        let wrongEnvelope = Self.leaf(2, previous: (index, envelope, report))
        report = String(report.reversed())
        let wrongReport = Self.leaf(3, previous: (0, sha256Hex(first.envelope), report))
        let later = Self.leaf(4, previous: (5, "x", "y"))
        let missing = Self.leaf(5, previous: (9, "x", "y"))
        let crossSeries = Self.leaf(6, previous: Self.link(to: other))
        let problems = PreviousReportChain.problems(
            in: [first, other, wrongEnvelope, wrongReport, later, missing, crossSeries])
        #expect(
            problems == [
                "leaf 2: the envelope digest of its previous report differs from leaf 0",
                "leaf 3: the report digest of its previous report differs from leaf 0",
                "leaf 4 names leaf 5 as its previous report, which is not an earlier leaf",
                "leaf 5 names leaf 9 as its previous report, which is not an earlier leaf",
                "leaf 6 names leaf 1 as its previous report, but that leaf is another series",
            ])
    }
}
