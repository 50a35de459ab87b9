/// A command-line option whose value cannot be used. Each description starts with the option's name and says
/// what it accepts.
public enum OptionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `value` is not one of the forms `option` takes; `expected` lists them ("relu, gelu, tanh or sigmoid").
    case invalid(option: String, value: String, expected: String)
    /// `value` parses but cannot be used: `reason` says why and what to give instead.
    case rejected(option: String, value: String, reason: String)
    /// One or more options (`"--epochs and --batch"`) break a bound; `requirement` is the bound ("must be positive").
    case outOfRange(options: String, requirement: String)
    /// `value` is not a list of positive layer widths.
    case notWidths(option: String, value: String)
    /// Names given to `option` that are not among `available`.
    case unknownNames(option: String, given: [String], available: [String], what: String)
    /// The `index`-th (0-based) `--text` is empty.
    case emptyText(index: Int)

    /// `--val-fraction` / `--test-fraction` negative or taking every row.
    public static let fractionsLeaveNoTraining = OptionError.outOfRange(
        options: "--val-fraction and --test-fraction", requirement: "must be ≥ 0 and leave rows for training")

    public var description: String {
        switch self {
        case let .invalid(option, value, expected):
            return "\(option) \(value): expected \(expected)"
        case let .rejected(option, value, reason):
            return value.isEmpty ? "\(option): \(reason)" : "\(option) \(value): \(reason)"
        case let .outOfRange(options, requirement):
            return "\(options) \(requirement)"
        case let .notWidths(option, value):
            return "\(option) \"\(value)\" is not a list of positive widths (e.g. 128,128 or 64-128-10)"
        case let .unknownNames(option, given, available, what):
            return "\(option) \(given.joined(separator: ",")): the model's \(what) are \(available.joined(separator: ", "))"
        case let .emptyText(index):
            return "--text number \(index + 1) is empty; give non-empty text or drop it"
        }
    }
}
