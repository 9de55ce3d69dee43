/// Placeholder suite until the robustness tests land.

import Testing

struct RobustnessPlaceholderTests {
    @Test func `the suite builds`() {
        #expect(Bool(true))
    }
}
