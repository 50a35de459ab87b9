import Testing
import TendCore
@testable import TendRuntime

@Suite struct CommandRouterTests {
    @Test func trainerControlGoesToTheQueue() {
        for c: EngineCommand in [.pause, .resume, .stop(checkpoint: true), .checkpoint, .stopEarly, .raiseL2(factor: 2, atLeast: 1e-4)] {
            #expect(CommandRoute.of(c) == .trainer)
        }
    }

    @Test func previewsNeverWaitForTheTrainingThread() {
        #expect(CommandRoute.of(.previewPrune(threshold: 0.01, sparsity: nil, global: true)) == .preview(.pruning))
        #expect(CommandRoute.of(.sweepPrune(global: false)) == .preview(.pruning))
        #expect(CommandRoute.of(.previewQuantize(perChannel: true, symmetric: true, calibration: "minmax", keepFP32: [])) == .preview(.quantization))
    }

    @Test func modelChangesGoToTheirOwner() {
        #expect(CommandRoute.of(.fineTune(dataPath: nil, epochs: 1, learningRate: 1e-3)) == .model(.run))
        #expect(CommandRoute.of(.rollback) == .model(.run))
        #expect(CommandRoute.of(.prune(threshold: 0.01, sparsity: nil)) == .model(.pruning))
        #expect(CommandRoute.of(.undo) == .model(.pruning))
        #expect(CommandRoute.of(.pruneAndFineTune(threshold: nil, sparsity: 0.5, global: true, epochs: 1)) == .model(.pruning))
        #expect(CommandRoute.of(.quantize(bits: 8, perChannel: true, symmetric: true)) == .model(.quantization))
        #expect(CommandRoute.of(.serveFP32) == .model(.quantization))
        #expect(CommandRoute.of(.serveStudent) == .model(.distillation))
        #expect(CommandRoute.of(.startDistillation(temperature: 4, alpha: 0.5, epochs: 2, fresh: false)) == .model(.distillation))
    }
}
