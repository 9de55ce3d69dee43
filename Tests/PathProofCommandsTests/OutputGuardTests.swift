/// Golden tests: printed log text cannot start a CI command or send a terminal control sequence.

import Testing

@testable import PathProofCommands

struct OutputGuardTests {
    @Test func `a line keeps to one line and shows its control characters escaped`() {
        #expect(
            OutputGuard.line("a\r\nb\u{1B}[2Jc\u{07}\td\u{85}e\u{2028}f") == #"a\r\nb\u{1B}[2Jc\u{7}"# + "\t"
                + #"d\u{85}e\u{2028}f"#)
    }

    @Test func `no line can start a GitHub command or an Azure DevOps command or format`() {
        #expect(OutputGuard.line("::error::owned") == #"\::error::owned"#)
        #expect(OutputGuard.line("  ::add-mask::x") == #"\  ::add-mask::x"#)
        #expect(OutputGuard.line("##[group]x") == "\\##[group]x")
        #expect(
            OutputGuard.line("id ##vso[task.setvariable variable=x]1") == #"id ##vso\[task.setvariable variable=x]1"#)
        #expect(OutputGuard.line("a :: b ## c") == "a :: b ## c")
        #expect(OutputGuard.line("id ##VsO[task.complete]x ##vso]") == #"id ##VsO\[task.complete]x ##vso]"#)
    }

    @Test func `text is guarded line by line and keeps its final newline`() {
        #expect(OutputGuard.text("PROVEN\n::warning::x\r\n\n") == "PROVEN\n\\::warning::x\\r\n\n")
        #expect(OutputGuard.text("one\ntwo") == "one\ntwo")
    }
}
