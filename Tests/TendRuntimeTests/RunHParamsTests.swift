import Testing
import TendCore
import TendEngine
import TendInterop
@testable import TendRuntime

/// The hyperparameters a run writes for TensorBoard's HParams tab.
@Suite struct RunHParamsTests {
    @Test func configGivesNamedTypedValuesWithFloatsAsTyped() {
        var c = TrainConfig(layout: MLPLayout(sizes: [64, 128, 32, 10], activation: .relu, dropout: 0.2))
        c.learningRate = 1e-3; c.labelSmoothing = 0.1; c.batchSize = 32
        let h = Dictionary(uniqueKeysWithValues: c.hparams)
        #expect(h["learning_rate"] == .number(0.001) && h["label_smoothing"] == .number(0.1) && h["dropout"] == .number(0.2))
        #expect(h["batch_size"] == .number(32) && h["optimizer"] == .string("adam") && h["hidden"] == .string("128,32"))
        #expect(TrainConfig.hparamsMetrics.contains("val/loss"))
        #expect(RunState.finished.hparamsStatus == .success && RunState.error.hparamsStatus == .failure)
    }
}
