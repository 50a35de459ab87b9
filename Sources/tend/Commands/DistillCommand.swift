import ArgumentParser
import Foundation
import TendBench
import TendRuntime
import TendEngine
import TendInterop
import TendTensor

/// `tend distill`: trains a smaller student from a model (the teacher) with the distillation loss and compares
/// the two: parameters, bytes, validation/test accuracy, batch-1 latency, argmax agreement.
struct Distill: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Distill a model into a smaller student (soft teacher targets at temperature T plus hard labels).",
        discussion: """
        Loss: alpha*T^2*KL(softmax(z_t/T) || softmax(z_s/T)) + (1-alpha)*CE(y, z_s), no label smoothing. \
        The student has the teacher's inputs, outputs, activation and LayerNorm choice and --student-arch hidden \
        widths (default: the teacher's halved). Data: --data CSV (default: the checkpoint's training data), split \
        with --seed (default: the checkpoint's) into train/validation/test like tend train; the student trains on \
        the training split, the teacher runs in fp32 eval mode per batch. Latency: single-row forwards of both \
        models, interleaved, p50/p99 in microseconds. The output is an ordinary checkpoint: tend eval --checkpoint reads it.
        """)

    @OptionGroup var model: ModelSource
    @Option(help: "Hidden widths of the student, e.g. 64,32 (default: the teacher's hidden widths halved).") var studentArch: String?
    @Option(help: "Softening temperature T (> 0).") var temperature: Float = 4
    @Option(help: "Weight of the teacher term in 0...1.") var alpha: Float = 0.7
    @Option(help: "Epochs to train the student.") var epochs = 10
    @Option(help: "Learning rate.") var lr: Float = 1e-3
    @Option(help: "Mini-batch size.") var batch = 64
    @Option(help: "sgd, adam or adamw.") var optimizer = "adam"
    @Option(help: "Learning-rate schedule: constant, step:EVERY:GAMMA, cosine[:WARMUP].") var schedule = "constant"
    @Option(help: "CSV to distill on (default: the checkpoint's training data).") var data: String?
    @Option(help: "Name of the integer label column of --data (default label, or the checkpoint's).") var label: String?
    @Option(help: "Seed of the split, the student's init and the batch order (default: the checkpoint's, else 0).") var seed: UInt64?
    @Option(help: "Fraction of rows for validation.") var valFraction = 0.15
    @Option(help: "Fraction of rows for test.") var testFraction = 0.15
    @Option(help: "Single-row forwards timed per model.") var latencySamples = 400
    @Option(help: "BLAS threads.") var threads = 1
    @Option(help: "Output safetensors file (the student checkpoint).") var out: String
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func validate() throws {
        if !(temperature > 0 && temperature.isFinite) { throw ValidationError("--temperature must be a finite number > 0, got \(temperature)") }
        if !(alpha >= 0 && alpha <= 1) { throw ValidationError("--alpha must lie in 0...1, got \(alpha)") }
        if epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be > 0") }
        if OptimizerKind(rawValue: optimizer) == nil { throw ValidationError("--optimizer must be sgd, adam or adamw, got \(optimizer)") }
        if latencySamples < 1 { throw ValidationError("--latency-samples must be at least 1") }
        if !(valFraction > 0 && testFraction >= 0 && valFraction + testFraction < 1) {
            throw ValidationError("--val-fraction must be > 0, --test-fraction ≥ 0, and together below 1")
        }
    }

    func run() throws {
        try reportingErrors {
            BLAS.setThreads(threads)
            let loaded = try model.load()
            guard loaded.quantized == nil else { throw ModelFileError.needsFloatWeights(path: loaded.path, command: "distill") }
            let teacher = loaded.model
            var trainSeed: UInt64 = 0
            if let text = loaded.metadata[Checkpoint.Key.config],
               let c = try? JSONDecoder().decode(TrainConfig.self, from: Data(text.utf8)) { trainSeed = c.seed }
            let seed = self.seed ?? trainSeed
            guard let dataPath = data ?? loaded.metadata[Checkpoint.Key.dataPath] else {
                throw ModelFileError.noRecordedData(path: loaded.path, flag: "--data")
            }
            let labelColumn = label ?? (data == nil ? loaded.metadata[Checkpoint.Key.labelColumn] : nil) ?? "label"
            var ds = try loadDataset(path: dataPath, label: labelColumn).mapped(to: loaded.classLabels, path: dataPath)
            try ds.checkFits(inputs: teacher.architecture.featureCount ?? 0, classes: teacher.outputCount, path: dataPath, labelColumn: labelColumn)
            ds.classes = teacher.outputCount
            let raw = DataSplit(ds, fractions: SplitFractions(train: 1 - valFraction - testFraction, validation: valFraction,
                                                              test: testFraction), seed: seed)
            let normalizer = loaded.normalizer ?? Normalizer.fit(loaded.normalization, on: raw.train.features)
            var split = raw
            split.train = normalizer.apply(raw.train)
            split.validation = normalizer.apply(raw.validation)
            if raw.test.count > 0 { split.test = normalizer.apply(raw.test) }

            var config = DistillationConfig()
            config.temperature = temperature; config.alpha = alpha; config.epochs = epochs
            config.learningRate = lr; config.batchSize = batch; config.optimizer = OptimizerKind(rawValue: optimizer)!
            config.seed = seed
            config.studentHidden = try studentArch.map { try parseWidths($0, what: "--student-arch") }
            let steps = epochs * ((split.train.count + batch - 1) / batch)
            config.schedule = try parseSchedule(schedule, totalSteps: steps)
            let studentArchitecture = try config.studentArchitecture(teacher: teacher.architecture)
            Output.info("distilling \(loaded.path) (\(widths(teacher.architecture.widths))) into \(widths(studentArchitecture.widths)): "
                        + "T \(temperature), alpha \(alpha), \(epochs) epochs on \(split.train.count) rows of \(dataPath) (seed \(seed))")
            let (report, distiller) = try DistillationReport.run(teacher: teacher, data: split, config: config,
                                                             latencySamples: latencySamples) { e in
                Output.info(String(format: "epoch %d/%d: loss %.4f (KL %.4f, CE %.4f), train acc %.4f, val acc %.4f, %.1fs",
                                   e.epoch + 1, epochs, e.trainLoss, e.trainKL, e.trainCE, e.trainAccuracy,
                                   e.validationAccuracy ?? .nan, e.seconds))
            }

            var meta: [String: String] = [:]
            for key in [Checkpoint.Key.classes, Checkpoint.Key.classLabels, Checkpoint.Key.featureNames] { meta[key] = loaded.metadata[key] }
            meta[Checkpoint.Key.dataPath] = dataPath
            meta[Checkpoint.Key.labelColumn] = labelColumn
            meta[Checkpoint.Key.normalizer] = String(decoding: try JSONEncoder().encode(normalizer), as: UTF8.self)
            meta[Checkpoint.Key.reason] = "distilled from \(loaded.path)"
            let ck = distiller.makeCheckpoint(metadata: meta)
            try SafetensorsWriter.write(tensors: ck.tensors, metadata: ck.metadata, to: out)
            let fileBytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? nil
            let result = DistillResult(model: loaded.path, out: out, file_bytes: fileBytes, data: dataPath, seed: seed, report: report)
            if !json || Output.stderrIsTTY { result.print() }
            if json { Output.json(result) }
        }
    }
}

private func widths(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: "-") }

/// The `--json` object of `tend distill`: files, settings, per-epoch history and the teacher/student comparison.
struct DistillResult: Encodable {
    var model: String, out: String
    var file_bytes: Int?
    var data: String
    var seed: UInt64
    var report: DistillationReport

    enum CodingKeys: String, CodingKey { case model, out, file_bytes, data, seed }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model); try c.encode(out, forKey: .out)
        try c.encodeIfPresent(file_bytes, forKey: .file_bytes); try c.encode(data, forKey: .data); try c.encode(seed, forKey: .seed)
        try report.encode(to: encoder)   // temperature, alpha, epochs, learning_rate, history, comparison at the top level
    }

    func print() {
        let c = report.comparison
        func row(_ name: String, _ m: ModelFigures) -> String {
            name.padding(toLength: 8, withPad: " ", startingAt: 0)
                + widths(m.layout).padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "%10d %11d %9.4f %9.4f %9.1f %9.1f", m.parameters, m.bytes, m.validationAccuracy ?? .nan,
                         m.testAccuracy ?? .nan, m.latencyP50Microseconds, m.latencyP99Microseconds)
        }
        let header = [("params", 10), ("bytes", 11), ("val acc", 9), ("test acc", 9), ("p50 us", 9), ("p99 us", 9)]
            .map { String(repeating: " ", count: max(0, $0.1 - $0.0.count)) + $0.0 }.joined(separator: " ")
        Output.info("model   layout          " + header)
        Output.info(row("teacher", c.teacher))
        Output.info(row("student", c.student))
        Output.info(String(format: "student/teacher: %.3fx parameters, %.3fx p50 latency; argmax agreement %.4f on %d %@ rows; %d forwards timed per model",
                           c.sizeRatio, c.latencyRatio, c.agreement, c.agreementRows, c.agreementSplit as NSString, c.latencySamples))
        Output.info("wrote \(out)" + (file_bytes.map { " (\($0) bytes)" } ?? ""))
    }
}
