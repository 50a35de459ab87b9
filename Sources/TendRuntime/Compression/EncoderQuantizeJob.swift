import Foundation
import TendEngine
import TendInterop
import TendTensor

/// One `tend quantize --model DIR` run: dynamic int8 of every linear layer of a Hugging Face BERT-family
/// encoder (but those `keepFP32` selects), the per-layer error table and the end-to-end embedding cosine on
/// calibration texts, then the int8 file — written only when everything before succeeded.
public struct EncoderQuantizeJob: Sendable {
    public var model: String
    public var keepFP32: [String]
    /// CSV whose `textColumn` holds the calibration texts (the first `calibrationRows`).
    public var calibrationData: String
    public var textColumn: String
    public var calibrationRows: Int
    /// Tokens per text with [CLS] and [SEP].
    public var maxLength: Int
    public var out: String
    /// `TEND_INT8_KERNEL`'s value (nil: the best kernel).
    public var kernelOverride: String?

    public init(model: String, keepFP32: [String], calibrationData: String, textColumn: String = "text", calibrationRows: Int = 64,
                maxLength: Int = 128, out: String, kernelOverride: String? = nil) {
        self.model = model; self.keepFP32 = keepFP32; self.calibrationData = calibrationData; self.textColumn = textColumn
        self.calibrationRows = calibrationRows; self.maxLength = maxLength; self.out = out; self.kernelOverride = kernelOverride
    }

    public func run() throws -> EncoderQuantizeReport {
        let kernel: Int8Kernel
        kernel = try Int8Kernel.forcedOrBest(kernelOverride)
        let texts = Array(try CSVTextTable.load(path: calibrationData).column(named: textColumn, allowEmpty: false).prefix(calibrationRows))
        let loaded = try HuggingFaceModel.loadEncoder(directory: model)
        let tokenizer = try TokenizerFiles.load(directory: loaded.directory)
        let length = min(maxLength, loaded.encoder.config.maxPositions)
        let fp32 = BertModel(encoder: loaded.encoder)
        var batches: [Batch] = []
        var tokens = 0
        for start in stride(from: 0, to: texts.count, by: 16) {
            let b = tokenizer.encodeBatch(Array(texts[start..<min(texts.count, start + 16)]), maxLength: length)
            tokens += b.attentionMask.reduce(0) { $0 + Int($1) }
            batches.append(.tokens(b))
        }
        let layers: [QuantizedLinear]
        do { layers = try DynamicQuantization.quantize(fp32, keepFP32: keepFP32, kernel: kernel) }
        catch { throw OptionError.rejected(option: "--keep-fp32", value: keepFP32.joined(separator: ","), reason: error.description) }
        let int8Names = Set(layers.map(\.name))
        let kept = Set(fp32.dynamicLinears.map(\.name)).subtracting(int8Names)
        let table = DynamicQuantization.errorTable(fp32, calibration: batches, kept: kept)
        let int8 = DynamicQuantization.quantizedCopy(of: fp32, layers: layers)
        var cosines: [Double] = []
        for b in batches {
            let a = fp32.predict(b), q = int8.predict(b)
            for r in 0..<a.rows {
                let e = QuantizationError.measure(original: Array(a.storage[(r * a.cols)..<((r + 1) * a.cols)]),
                                                  reconstructed: Array(q.storage[(r * q.cols)..<((r + 1) * q.cols)]))
                cosines.append(e.cosine)
            }
        }
        try DynamicInt8File.write(layers, of: fp32, keepFP32: keepFP32,
                                  extraMetadata: ["tend.quant.source": loaded.directory,
                                                  "tend.quant.calibration": "\(calibrationData) column \(textColumn) rows 0..<\(texts.count), \(tokens) tokens"],
                                  to: out)
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? nil
        let linears = fp32.dynamicLinears
        return EncoderQuantizeReport(
            model: loaded.directory, out: out, file_bytes: fileBytes, kernel: kernel.description,
            calibration: .init(path: calibrationData, texts: texts.count, tokens: tokens, max_length: length),
            keep_fp32: keepFP32, int8_layers: layers.count, fp32_layers: kept.count,
            linear_fp32_bytes: linears.reduce(0) { $0 + ($1.inputs * $1.outputs + $1.outputs) * 4 },
            linear_stored_bytes: layers.reduce(0) { $0 + $1.storedBytes } + linears.filter { kept.contains($0.name) }.reduce(0) { $0 + ($1.inputs * $1.outputs + $1.outputs) * 4 },
            embedding_cosine: .init(min: cosines.min() ?? 1, mean: cosines.isEmpty ? 1 : cosines.reduce(0, +) / Double(cosines.count)),
            layers: table)
    }
}

/// What `tend quantize --model DIR --json` prints.
public struct EncoderQuantizeReport: Encodable, Sendable {
    public struct Calibration: Encodable, Sendable { public var path: String; public var texts: Int; public var tokens: Int; public var max_length: Int }
    public struct Cosine: Encodable, Sendable { public var min: Double; public var mean: Double }
    public var model: String
    public var out: String
    public var file_bytes: Int?
    public var kernel: String
    public var calibration: Calibration
    public var keep_fp32: [String]
    public var int8_layers: Int
    public var fp32_layers: Int
    /// Weights and biases of the linear layers in fp32, and as stored (int8 codes + scales + biases; kept layers fp32).
    public var linear_fp32_bytes: Int
    public var linear_stored_bytes: Int
    /// Cosine of each calibration text's int8 sentence embedding to its fp32 one.
    public var embedding_cosine: Cosine
    public var layers: [DynamicLayerError]

    /// The human table: one line per linear layer.
    public var table: String {
        func db(_ v: Double) -> String { v.isInfinite ? "inf" : String(format: "%.1f", v) }
        func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
            s.count >= n ? s : (right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
        }
        let header = [pad("layer", 42), pad("shape", 10), pad("prec", 5), pad("w SQNR", 7, right: true), pad("w cos", 9, right: true),
                      pad("w clip", 8, right: true), pad("a SQNR", 7, right: true), pad("out SQNR", 9, right: true), pad("out cos", 9, right: true)]
        var lines = [header.joined(separator: " ")]
        for l in layers {
            lines.append([pad(l.name, 42), pad("\(l.shape[0])x\(l.shape[1])", 10), pad(l.precision, 5), pad(db(l.weight.sqnrDB), 7, right: true),
                          pad(String(format: "%.5f", l.weight.cosine), 9, right: true),
                          pad(String(format: "%.4f%%", 100 * l.weight.clippedFraction), 8, right: true), pad(db(l.activation.sqnrDB), 7, right: true),
                          pad(db(l.output.sqnrDB), 9, right: true), pad(String(format: "%.5f", l.output.cosine), 9, right: true)].joined(separator: " "))
        }
        lines.append("\(int8_layers) int8, \(fp32_layers) fp32 layers; linear weights "
                     + String(format: "%.1f MB fp32 -> %.1f MB", Double(linear_fp32_bytes) / 1e6, Double(linear_stored_bytes) / 1e6)
                     + "; kernel \(kernel); embeddings vs fp32 on \(calibration.texts) texts: cosine "
                     + String(format: "min %.5f, mean %.5f", embedding_cosine.min, embedding_cosine.mean))
        return lines.joined(separator: "\n") + "\n"
    }
}
