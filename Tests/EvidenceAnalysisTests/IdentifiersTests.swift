/// Comparison forms of ARM ids and GUIDs.

import EvidenceAnalysis
import Testing

struct IdentifiersTests {
    @Test(arguments: [
        ("8F0B2B7C-6A43-4C52-9F3E-2A1D5C9E7B10", "8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10"),
        ("{8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10}", "8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10"),
        (" 8f0b2b7c6a434c529f3e2a1d5c9e7b10 ", "8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10"),
    ])
    func `GUIDs normalize to lower case with dashes`(text: String, expected: String) {
        #expect(Identifiers.normalizedGUID(text) == expected)
    }

    @Test(arguments: [
        "", "8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b1", "8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b1g",
        "8f0b2b7c+6a43-4c52-9f3e-2a1d5c9e7b10", "8f0b2b7c-6a43-4c52-9f3e-2a1d5c9e7b10-", "perimeter-1",
    ])
    func `non-GUIDs are refused`(text: String) {
        #expect(Identifiers.normalizedGUID(text) == nil)
    }

    @Test func `ARM ids compare without regard to case, doubled or trailing slashes`() {
        let claim = "/subscriptions/S/resourcegroups/RG/providers/Microsoft.PowerPlatform/enterprisePolicies/P/"
        let policy = "/subscriptions/s/resourceGroups/rg//providers/microsoft.powerplatform/enterprisepolicies/p"
        #expect(Identifiers.normalizedResourceID(claim) == Identifiers.normalizedResourceID(policy))
        #expect(Identifiers.isEnterprisePolicyID(policy))
        #expect(!Identifiers.isEnterprisePolicyID(policy + "/extra"))
        #expect(
            Identifiers.vaultName(
                fromResourceID: "/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1") == "KV1")
        #expect(Identifiers.vaultName(fromResourceID: "/RESOURCE_ID") == nil)
    }
}
