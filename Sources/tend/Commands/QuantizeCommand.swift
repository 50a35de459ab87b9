import ArgumentParser
import Foundation
import TendBench
import TendRuntime
import TendEngine
import TendInterop
import TendTensor

/// `tend quantize`: int8 post-training quantization of a checkpoint or imported weights, with a
/// per-layer error report and accuracy before/after; writes an `.int8.safetensors` that `tend eval` runs on the int8 path.
struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quantize a model to int8 (weights per channel or per tensor, calibrated 7-bit activations).",
        discussion: """
        A transformer: tend quantize --model DIR --calibration-data Samples/rt_polarity.csv [--keep-fp32 PATTERN] --out FILE \
        quantizes every linear layer dynamically (weights int8 per output channel, symmetric; activations 7-bit per token at run time) \
        and prints the per-layer error table; tend embed --model DIR --int8 FILE runs on it. TEND_INT8_KERNEL=avx2|avx-vnni|scalar forces a kernel.
        """)

    @OptionGroup var model: ModelSource
    @Flag(help: "One scale per output channel (default).") var perChannel = false
    @Flag(help: "One scale for each weight tensor.") var perTensor = false
    @Flag(help: "Symmetric weight codes in [-127, 127] (default).") var symmetric = false
    @Flag(help: "Affine weight codes in [-128, 127] with a zero-point.") var affine = false
    @Option(help: "Activation range: minmax, percentile or mse.") var calibration = "minmax"
    @Option(help: "Percentile for --calibration percentile.") var percentile = 99.99
    @Option(help: "Calibration CSV (default: the checkpoint's training split).") var calibrationData: String?
    @Option(help: "Label column of --calibration-data.") var label = "label"
    @Option(help: "Calibration rows.") var calibrationRows = 1000
    @Option(help: "Layers to keep in fp32 (repeat or comma-separate): names (fc3), or with --model name patterns (* matches any run; without *, names containing it), e.g. 'encoder.layer.5.*' or output.dense.") var keepFp32: [String] = []
    @Option(help: "With --model: the CSV column of --calibration-data holding the texts.") var textColumn = "text"
    @Option(help: "With --model: tokens per calibration text, [CLS] and [SEP] included.") var maxLength = 128
    @Option(help: "Group size of the int4 what-if estimate.") var int4Group = 32
    @Option(help: "Output file (.int8.safetensors).") var out: String
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func validate() throws {
        if perChannel && perTensor { throw ValidationError("give --per-channel or --per-tensor, not both") }
        if symmetric && affine { throw ValidationError("give --symmetric or --affine, not both") }
        if calibrationRows < 1 { throw ValidationError("--calibration-rows must be at least 1") }
        if int4Group < 1 { throw ValidationError("--int4-group must be at least 1") }
    }

    func run() throws {
        if let directory = model.directory { return try quantizeEncoder(directory) }
        try reportingErrors {
            let loaded = try model.load()
            guard loaded.quantized == nil else { throw ModelFileError.alreadyQuantized(path: loaded.path) }
            guard let method = CalibrationMethod(rawValue: calibration.lowercased()) else {
                throw OptionError.invalid(option: "--calibration", value: calibration, expected: "minmax, percentile or mse")
            }
            let layers = Set(loaded.model.linearLayers.map(\.name))
            let keep = keepFp32.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            if let bad = keep.first(where: { !layers.contains($0) }) {
                throw OptionError.unknownNames(option: "--keep-fp32", given: [bad], available: layers.sorted(), what: "Dense layers")
            }
            let config = QuantizationConfig(perChannel: !perTensor, symmetric: !affine, calibration: method,
                                            percentile: percentile, keepFP32: keep)
            if let problem = config.validationError { throw OptionError.rejected(option: "--percentile", value: "", reason: problem) }
            let (calib, validation, source) = try loaded.calibrationSets(data: calibrationData, label: label, rows: calibrationRows)
            Output.info("calibrating on \(calib.rows) rows of \(source); validating on \(validation?.count ?? 0) rows")
            let q = QuantizedModel(model: loaded.model, calibration: calib, config: config)
            let report = QuantizationReport.build(model: loaded.model, quantized: q, calibration: calib,
                                                  validation: validation, int4GroupSize: int4Group)
            try loaded.writeQuantized(q, to: out)
            let fileBytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? nil
            if !json || Output.stderrIsTTY { report.printTable(fileBytes: fileBytes, out: out) }
            if json { Output.json(QuantizeResult(model: loaded.path, out: out, file_bytes: fileBytes, calibration_source: source, report: report)) }
        }
    }

    /// `--model DIR`: dynamic int8 of the encoder's linear layers (weights per channel, activations per token at
    /// run time), the error table on --calibration-data's texts, the int8 file `tend embed --int8` runs.
    private func quantizeEncoder(_ directory: String) throws {
        try reportingErrors {
            guard let data = calibrationData else {
                throw OptionError.rejected(option: "--calibration-data", value: "", reason: "--model needs texts to calibrate on: --calibration-data FILE.csv [--text-column text], e.g. Samples/rt_polarity.csv")
            }
            let keep = keepFp32.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            let job = EncoderQuantizeJob(model: directory, keepFP32: keep, calibrationData: data, textColumn: textColumn,
                                         calibrationRows: calibrationRows, maxLength: maxLength, out: out,
                                         kernelOverride: ProcessInfo.processInfo.environment[Int8Kernel.environmentKey])
            Output.info("quantizing \(directory) on the first \(calibrationRows) texts of \(data)")
            let report = try job.run()
            if !json || Output.stderrIsTTY { Output.info(report.table + "wrote \(out)") }
            if json { Output.json(report) }
        }
    }
}
