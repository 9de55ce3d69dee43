/// Golden tests: untrusted log text cannot inject CI commands or break the summary.

import Foundation
import Testing

@testable import PathProofCommands

struct PipelineAnnotationsTests {
    static let hostile = "100% bad\r\n::error::owned\n##vso[task.setvariable variable=x]1; a:b,c]"

    @Test func `GitHub annotations escape percent, CR, LF, and colon and comma in properties`() {
        let line = PipelineAnnotations.line(.github, level: .error, title: "t:1,2", message: Self.hostile)
        #expect(
            line == "::error title=t%3A1%2C2::100%25 bad%0D%0A::error::owned%0A##vso[task.setvariable "
                + "variable=x]1; a:b,c]")
        #expect(line?.contains("\n") == false)
    }

    @Test func `Azure DevOps issues escape data and properties`() {
        let line = PipelineAnnotations.line(.azureDevOps, level: .warning, title: "rule;x]y", message: Self.hostile)
        #expect(
            line == "##vso[task.logissue type=warning;code=rule%3Bx%5Dy]100%AZP25 bad%0D%0A::error::owned%0A"
                + "##vso[task.setvariable variable=x]1; a:b,c]")
        #expect(line?.contains("\r") == false)
    }

    @Test func `no annotations outside a pipeline`() {
        #expect(PipelineAnnotations.line(.none, level: .error, title: "t", message: "m") == nil)
    }

    @Test func `auto detects the CI system from the environment`() {
        #expect(PipelineKind.resolve("auto", environment: ["GITHUB_ACTIONS": "true"]) == .github)
        #expect(PipelineKind.resolve("auto", environment: ["TF_BUILD": "True"]) == .azureDevOps)
        #expect(PipelineKind.resolve("auto", environment: [:]) == PipelineKind.none)
        #expect(PipelineKind.resolve("github", environment: [:]) == .github)
    }

    @Test func `Markdown summary neutralises table breaks, links and HTML`() {
        let escaped = StepSummary.escape("a|b [x](http://evil) <img src=x> `code`\nnext")
        #expect(escaped == #"a\|b \[x\]\(http://evil\) \<img src=x\> \`code\` next"#)
    }

    @Test func `JUnit text is escaped XML`() {
        #expect(PipelineReport.xml("<a href=\"x\">&'\u{01}") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    }
}
