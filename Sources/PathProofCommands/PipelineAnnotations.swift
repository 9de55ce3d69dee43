/// Annotations for CI systems: GitHub Actions workflow commands and Azure DevOps logging commands.
///
/// Log text is written by whoever calls the vault (user agents, request URIs, error descriptions),
/// so every piece of it is escaped before it reaches a command line the CI runner interprets.

import Foundation

/// The CI system whose annotation syntax to use.
enum PipelineKind: String, CaseIterable {
    case github
    case azureDevOps = "azure-devops"
    case none

    /// Resolves `auto` from the environment: `GITHUB_ACTIONS=true` or `TF_BUILD=True`.
    static func resolve(_ option: String, environment: [String: String]) -> PipelineKind {
        if option != "auto" { return PipelineKind(rawValue: option) ?? .none }
        if environment["GITHUB_ACTIONS"]?.lowercased() == "true" { return .github }
        if environment["TF_BUILD"]?.lowercased() == "true" { return .azureDevOps }
        return .none
    }
}

/// How serious an annotation is.
enum AnnotationLevel: String {
    case error
    case warning
    case notice
}

/// Formats single-line annotation commands with the escaping each CI system requires.
enum PipelineAnnotations {
    /// One annotation command line (without the trailing newline); `nil` for `.none`.
    static func line(_ kind: PipelineKind, level: AnnotationLevel, title: String, message: String) -> String? {
        switch kind {
        case .github:
            return "::\(level.rawValue) title=\(githubProperty(title))::\(githubData(message))"
        case .azureDevOps:
            let type = level == .notice ? "warning" : level.rawValue
            return "##vso[task.logissue type=\(type);code=\(azureProperty(title))]\(azureData(message))"
        case .none:
            return nil
        }
    }

    /// GitHub message data: `%`, CR and LF are escaped.
    static func githubData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// GitHub property values: as data, plus `:` and `,`.
    static func githubProperty(_ text: String) -> String {
        githubData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    /// Azure DevOps message data: `%`, CR and LF, so no text can start a command on a new line.
    static func azureData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%AZP25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Azure DevOps property values: as data, plus `;` and `]`, which would end the property or command.
    static func azureProperty(_ text: String) -> String {
        azureData(text).replacingOccurrences(of: ";", with: "%3B").replacingOccurrences(of: "]", with: "%5D")
    }
}
