/// Why a distillation run could not start.
public enum DistillationError: Error, Equatable, CustomStringConvertible {
    /// The settings are invalid (temperature, alpha, epochs, widths, …), in the validator's words.
    case invalidConfig(String)
    /// The data has another number of feature columns than the teacher takes.
    case featureCount(found: Int, expected: Int)

    public var description: String {
        switch self {
        case .invalidConfig(let problem): problem
        case .featureCount(let found, let expected):
            "distillation data has \(found) feature columns, the teacher takes \(expected): use the teacher's training columns"
        }
    }
}
