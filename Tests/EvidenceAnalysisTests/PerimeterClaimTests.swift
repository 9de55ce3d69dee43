/// Parsing the perimeter claim in each form it reaches the analyzer.

import EvidenceAnalysis
import TableModel
import Testing

struct PerimeterClaimTests {
    @Test func `the forms of "no perimeter" are told apart`() {
        #expect(PerimeterClaim(.string("")) == .absent)
        #expect(PerimeterClaim(.null) == .absent)
        #expect(PerimeterClaim(.dynamic(.null)) == .absent)
        #expect(PerimeterClaim(.string("[]")) == .empty)
        #expect(PerimeterClaim(.string(" [ ] ")) == .empty)
        #expect(PerimeterClaim(.dynamic(.array([]))) == .empty)
        #expect(PerimeterClaim(.string("[\"a\"")) == .unparsable("[\"a\""))
        #expect(
            PerimeterClaim(.string("8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10"))
                != .perimeters(["8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10"]))
    }

    @Test func `GUIDs come back in comparison form from text and from a dynamic array`() {
        let guid = "8F0B2B7C6A434C529F3E2A1D5C9E7B10"
        let expected = PerimeterClaim.perimeters(["8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10"])
        #expect(PerimeterClaim(.string("[\"\(guid)\"]")) == expected)
        #expect(PerimeterClaim(.dynamic(.array([.string("{8F0B2B7C-6A43-4C52-9F3E-2A1D5C9E7B10}")]))) == expected)
        #expect(PerimeterClaim(.dynamic(.string("[\"\(guid)\"]"))) == expected)
    }

    @Test func `a list holding anything but strings is unparsable`() {
        if case .unparsable = PerimeterClaim(.dynamic(.array([.long(1)]))) {
        } else {
            Issue.record("a list of numbers must not count as perimeters")
        }
        if case .unparsable = PerimeterClaim(.long(7)) {
        } else {
            Issue.record("a number must not count as perimeters")
        }
    }
}
