import ArgumentParser
import Foundation
import TendEngine
import TendInterop
import TendRuntime
import TendTensor

/// `tend bench encoder`: median latency of a BERT encoder's forward + mean pooling on b1x22 and b32x128,
/// with the GFLOPS bare sgemm reaches on the layer shapes in the same run.
public struct BenchEncoder: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "encoder",
        abstract: "Median ms of a BERT encoder's forward + mean pooling on b1x22 and b32x128, and bare sgemm GFLOPS on its layer shapes.",
        discussion: """
        Works: one sequence of 22 tokens and 32 of 128; ids random in 1000..29000 with [CLS]/[SEP] at the ends, mask all ones. \
        --int8 runs every linear layer on dynamic int8 (weights per channel, activations per token; JSON adds "kernel", \
        the CInt8 path; TEND_INT8_KERNEL=avx2|avx-vnni|scalar forces one; bare sgemm is not timed then). Peers: bench/encoder_peers.py [--int8].
        """)

    @Option(help: "A Hugging Face BERT-family model directory.") var model: String
    @Option(help: "Threads (OpenBLAS and Tend's workers).") var threads = 1
    @Option(help: "Seconds to keep timing each work (at least --runs runs).") var seconds = 3.0
    @Option(help: "Least timed runs per work.") var runs = 5
    @Flag(help: "Run every linear layer on dynamic int8 kernels (quantized in process).") var int8 = false
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct WorkFigure: Encodable { var ms: Double; var min_ms: Double; var cpu_ms: Double; var runs: Int; var gflops: Double }
    struct Report: Encodable {
        var model: String
        var threads: Int
        var b1x22: WorkFigure
        var b32x128: WorkFigure
        /// Bare sgemm GFLOPS per layer shape, keyed `work.shape`.
        var gflops: [String: Double]
        /// "int8" or "fp32".
        var precision: String
        /// The CInt8 kernel in use (with --int8).
        var kernel: String?
        /// With --int8: the lowest cosine of a b1x22 pooled output to fp32's (as bench/encoder_peers.py --int8 reports).
        var cosine_to_fp32: Double?
    }

    public func run() throws {
        try reportingErrors {
            BLAS.setThreads(threads)
            let loaded = try HuggingFaceModel.loadEncoder(directory: model)
            let encoder = loaded.encoder
            var kernel: Int8Kernel?
            var cosine: Double?
            if int8 {
                let probe = EncoderBenchmark.Work.b1x22.tokens(vocabularySize: encoder.config.vocabularySize)
                let saved = (encoder.pooling, encoder.normalize)
                (encoder.pooling, encoder.normalize) = (.mean, false)
                defer { (encoder.pooling, encoder.normalize) = saved }
                let reference = try encoder.encode(probe)
                let override = ProcessInfo.processInfo.environment[Int8Kernel.environmentKey]
                let chosen: Int8Kernel
                chosen = try Int8Kernel.forcedOrBest(override)
                let model = BertModel(encoder: encoder)
                model.installInt8(try DynamicQuantization.quantize(model, kernel: chosen))
                kernel = chosen
                let got = try encoder.encode(probe)
                cosine = QuantizationError.measure(original: reference.storage, reconstructed: got.storage).cosine
                Output.info("int8: \(model.installedInt8.count) linear layers on the \(chosen) kernel")
            }
            Output.info("\(loaded.directory): \(encoder.config.layers) layers, hidden \(encoder.config.hiddenSize), \(encoder.parameterCount) parameters; \(threads) thread(s)")
            var figures: [String: WorkFigure] = [:]
            var gflops: [String: Double] = [:]
            for work in [EncoderBenchmark.Work.b1x22, .b32x128] {
                let t = try EncoderBenchmark.time(encoder, work: work, minRuns: runs, seconds: seconds)
                figures[work.name] = WorkFigure(ms: t.medianMS, min_ms: t.minMS, cpu_ms: t.cpuMS, runs: t.runs, gflops: t.gflops)
                var line = String(format: "%-8@ median %9.2f ms  (min %9.2f, CPU %9.2f, %d runs)  %6.1f GFLOPS  | bare sgemm:", work.name as NSString,
                                  t.medianMS, t.minMS, t.cpuMS, t.runs, t.gflops)
                for shape in EncoderBenchmark.layerShapes(encoder.config, rows: work.batch * work.length) where !int8 {
                    let g = EncoderBenchmark.sgemmGFLOPS(shape)
                    gflops["\(work.name).\(shape.name)"] = g
                    line += String(format: " %@ %.1f", shape.name as NSString, g)
                }
                Output.info(line)
            }
            if json {
                Output.json(Report(model: loaded.directory, threads: threads, b1x22: figures["b1x22"]!, b32x128: figures["b32x128"]!, gflops: gflops,
                                   precision: int8 ? "int8" : "fp32", kernel: kernel?.description, cosine_to_fp32: cosine))
            }
        }
    }
}
