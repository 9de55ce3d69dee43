// The `pathproof` executable: a thin shell over PathProofCommands.

import Foundation
import PathProofCommands

let status = PathProofCLI.run(
    arguments: Array(CommandLine.arguments.dropFirst()),
    environment: ProcessInfo.processInfo.environment,
    console: .standard())
exit(status)
