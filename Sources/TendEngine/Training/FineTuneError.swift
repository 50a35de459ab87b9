/// Why `Trainer.scheduleFineTune` refused a data set.
public enum FineTuneError: Error, Equatable, CustomStringConvertible {
    /// The fine-tune data has another number of feature columns than the run was trained on.
    case featureCount(found: Int, expected: Int)

    public var description: String {
        switch self {
        case .featureCount(let found, let expected):
            "fine-tune data has \(found) feature columns, the model takes \(expected): use a CSV with the training data's columns"
        }
    }
}
