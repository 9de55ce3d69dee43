/// What the fuzzer needs from one target: its seeds, its token dictionary and one execution.

/// One parser or reader under fuzzing.
struct FuzzTarget {
    /// The name given on the command line.
    let name: String
    /// What the target exercises, for `--help`.
    let summary: String
    /// Mutated inputs are cut to this many bytes.
    let maxLength: Int
    /// Tokens of the input language the mutator inserts.
    let dictionary: [String]
    /// The seed inputs; never empty.
    let seeds: [[UInt8]]
    /// Runs one input in-process; returns whether the input was accepted (no error thrown).
    /// Thrown errors are the expected outcome for most inputs and are caught inside.
    let execute: ([UInt8]) -> Bool
}

/// Where seeds come from.
struct SeedSources {
    /// The shared research folder holding kql/ corpora and fixtures/public/.
    let shared: String
    /// Extra seeds a user keeps in the corpus directory, one file each.
    let corpus: String
}
