import TendCore
import TendEngine
import TendInterop

extension TrainConfig {
    /// The hyperparameters a run writes for TensorBoard's HParams tab, in a fixed order: optimizer and its
    /// rates, batch size, epochs, label smoothing, regularisation, seed and the model's layout.
    public var hparams: [(String, HParamValue)] {
        // Floats as their shortest decimal (0.1, not 0.10000000149), as the user typed them.
        func d(_ f: Float) -> Double { Double(f.description) ?? Double(f) }
        var h: [(String, HParamValue)] = [
            ("optimizer", .string(optimizer.rawValue)),
            ("learning_rate", .number(d(learningRate))),
            ("batch_size", .number(Double(batchSize))),
            ("epochs", .number(Double(epochs))),
            ("label_smoothing", .number(d(labelSmoothing))),
            (optimizer == .adamw ? "weight_decay" : "l2", .number(d(optimizer == .adamw ? weightDecay : l2))),
            ("seed", .number(Double(seed))),
            ("normalization", .string(normalization.description)),
        ]
        if let layout {
            h.append(("hidden", .string(layout.sizes.dropFirst().dropLast().map(String.init).joined(separator: ","))))
            h.append(("activation", .string(layout.activation.rawValue)))
            h.append(("dropout", .number(d(layout.dropout))))
        }
        return h
    }

    /// The scalar tags the HParams tab shows as metrics.
    public static let hparamsMetrics: [String] = [MetricKey.valLoss.tag, MetricKey.valAccuracy.tag, MetricKey.valF1.tag,
                                                  MetricKey.trainLoss.tag]
}

extension RunState {
    /// The HParams session status a run that ended in this state reports.
    public var hparamsStatus: HParamsSessionStatus {
        switch self {
        case .finished, .stopped: return .success
        case .error: return .failure
        case .starting, .training, .paused: return .unknown
        }
    }
}
