/// Counts in words: "1 violation", "3 violations".

extension Int {
    /// The count followed by `singular`, or by `plural` (default `singular` + "s") when it is not 1.
    func counted(_ singular: String, _ plural: String? = nil) -> String {
        "\(self) \(self == 1 ? singular : plural ?? singular + "s")"
    }
}
