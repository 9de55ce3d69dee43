/// Placeholder suite until the export bundle lands.

import Testing

@testable import EvidenceExport

struct EvidenceExportPlaceholderTests {
    @Test func `the module builds`() {
        #expect(String(describing: EvidenceExportPlaceholder.self) == "EvidenceExportPlaceholder")
    }
}
