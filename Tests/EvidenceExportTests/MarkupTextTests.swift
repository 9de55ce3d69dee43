/// Tests of markup escaping used by report.html and the JUnit XML.

import Testing

@testable import EvidenceExport

struct MarkupTextTests {
    @Test func `markup characters become entities and control characters are dropped`() {
        #expect(MarkupText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(MarkupText.escape("a\u{01}b\tc\n") == "ab\tc\n")
    }
}
