import ArgumentParser
import Foundation
import TendEngine
import TendInterop
import TendRuntime
import TendTensor

/// `tend bench finetune`: training samples/s of a full fine-tune of a BERT encoder (mean pooling, 2-class
/// head, dropout from config.json, AdamW) at batch 32, lengths 64 and 128.
public struct BenchFinetune: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Training samples/s of a full BERT fine-tune step at b32x64 and b32x128.",
        discussion: "Works: 32 sequences of 64 and of 128 tokens; ids random in 1000..29000 with [CLS]/[SEP] at the ends, mask all ones; forward with dropout, backward, clipping, AdamW.")

    @Option(help: "A Hugging Face BERT-family model directory.") var model: String
    @Option(help: "Threads (OpenBLAS and Tend's workers).") var threads = 1
    @Option(help: "Seconds to keep timing each work (at least --steps steps).") var seconds = 10.0
    @Option(help: "Least timed steps per work.") var steps = 3
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct WorkFigure: Encodable {
        var samples_per_s: Double
        var step_ms: Double
        var forward_ms: Double
        var backward_ms: Double
        var optimizer_ms: Double
        var steps: Int
        var peak_rss_mb: Double
    }
    struct Report: Encodable { var model: String; var threads: Int; var b32x64: WorkFigure; var b32x128: WorkFigure }

    public func run() throws {
        try reportingErrors {
            BLAS.setThreads(threads)
            let loaded = try HuggingFaceModel.loadEncoder(directory: model)
            let dropout = try BertConfigFile.dropoutRates(loaded.directory + "/config.json")
            Output.info("\(loaded.directory): \(loaded.encoder.config.layers) layers, hidden \(loaded.encoder.config.hiddenSize); dropout \(dropout.hidden)/\(dropout.attention); \(threads) thread(s)")
            var figures: [String: WorkFigure] = [:]
            for work in [FineTuneBenchmark.b32x64, FineTuneBenchmark.b32x128] {
                let t = try FineTuneBenchmark.time(loaded.encoder.copy(), dropout: dropout, work: work, minSteps: steps, seconds: seconds)
                let f = WorkFigure(samples_per_s: t.samplesPerSecond, step_ms: t.stepSeconds * 1e3, forward_ms: t.forwardSeconds * 1e3,
                                   backward_ms: t.backwardSeconds * 1e3, optimizer_ms: t.optimizerSeconds * 1e3, steps: t.steps,
                                   peak_rss_mb: Double(t.peakRSS) / 1_048_576)
                figures[work.name] = f
                Output.info(String(format: "%-8@ %7.2f samples/s  step %8.1f ms (forward %.1f, backward %.1f, AdamW %.1f; %d steps)  peak RSS %.0f MB",
                                   work.name as NSString, f.samples_per_s, f.step_ms, f.forward_ms, f.backward_ms, f.optimizer_ms, f.steps, f.peak_rss_mb))
            }
            if json { Output.json(Report(model: loaded.directory, threads: threads, b32x64: figures["b32x64"]!, b32x128: figures["b32x128"]!)) }
        }
    }
}
