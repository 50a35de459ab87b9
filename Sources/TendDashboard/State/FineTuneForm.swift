/// The fine-tune dialog: three text fields edited in place. Values stay text until submitted, so what the
/// user typed is shown exactly; `submission()` parses them. Invariant: `focusedField` is in `0..<Field.allCases.count`.
public struct FineTuneForm: Sendable, Equatable {
    public enum Field: Int, Sendable, CaseIterable {
        case dataPath, epochs, learningRate
        public var label: String {
            switch self {
            case .dataPath: return "data file"
            case .epochs: return "epochs"
            case .learningRate: return "learning rate"
            }
        }
    }

    public var dataPath: String
    public var epochs: String
    public var learningRate: String
    public var focusedField: Field
    /// Why the last submission was refused; nil when there was none or after an edit.
    public var error: String?

    /// Defaults: epochs 5, learning rate 5e-4 (a fine-tune continues from trained weights, so smaller than a
    /// typical initial rate).
    public init(dataPath: String = "", epochs: String = "5", learningRate: String = "5e-4",
                focusedField: Field = .dataPath, error: String? = nil) {
        self.dataPath = dataPath; self.epochs = epochs; self.learningRate = learningRate
        self.focusedField = focusedField; self.error = error
    }

    /// The text of `field`.
    public subscript(field: Field) -> String {
        get {
            switch field {
            case .dataPath: return dataPath
            case .epochs: return epochs
            case .learningRate: return learningRate
            }
        }
        set {
            switch field {
            case .dataPath: dataPath = newValue
            case .epochs: epochs = newValue
            case .learningRate: learningRate = newValue
            }
        }
    }

    /// Longest text a field accepts (a path can be long; numbers cannot).
    public static func maxLength(_ field: Field) -> Int { field == .dataPath ? 512 : 16 }

    /// The parsed values, or a message naming the field that is wrong. An empty data file means "the data the
    /// run is training on" (`dataPath` nil).
    public func submission() -> Result<(dataPath: String?, epochs: Int, learningRate: Double), FineTuneFormError> {
        let path = dataPath.trimmingSpaces
        guard let e = Int(epochs.trimmingSpaces), e >= 1, e <= 100_000 else {
            return .failure(FineTuneFormError(field: .epochs, message: "epochs must be a whole number from 1 to 100000 (got \"\(epochs)\")"))
        }
        guard let lr = Double(learningRate.trimmingSpaces), lr.isFinite, lr > 0, lr < 10 else {
            return .failure(FineTuneFormError(field: .learningRate,
                                              message: "learning rate must be a number above 0 and below 10, e.g. 5e-4 (got \"\(learningRate)\")"))
        }
        return .success((path.isEmpty ? nil : path, e, lr))
    }
}

/// A fine-tune field the user must correct, with a message saying how.
public struct FineTuneFormError: Error, Sendable, Equatable {
    public var field: FineTuneForm.Field
    public var message: String
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
