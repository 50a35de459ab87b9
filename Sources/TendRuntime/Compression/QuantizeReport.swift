import Foundation
import TendEngine
import TendInterop
import TendTensor

extension ModelLoader.Loaded {
    /// Calibration rows (normalised) and validation rows for `tend quantize`: the first `rows` of `data` (the rest
    /// validates), else the checkpoint's own data re-split with its seed. Returns them and where they came from.
    public func calibrationSets(data calibrationData: String?, label: String, rows calibrationRows: Int) throws -> (Tensor, Dataset?, String) {
        let loaded = self
        let inputs = loaded.model.architecture.featureCount ?? 0
        func prepared(_ raw: Dataset, path: String) throws -> Dataset {
            let ds = try raw.mapped(to: loaded.classLabels, path: path)
            guard ds.featureCount == inputs else {
                throw DataError.featureCount(path: path, option: nil, found: ds.featureCount, expected: inputs, labelColumn: nil, expectedNames: [])
            }
            let norm = loaded.normalizer ?? Normalizer.fit(loaded.normalization, on: ds.features)
            return norm.apply(ds)
        }
        if let path = calibrationData {
            let ds = try prepared(loadDataset(path: path, label: label), path: path)
            let n = min(calibrationRows, ds.count)
            let validation = ds.count > n ? ds.rows(n..<ds.count) : ds
            return (ds.rows(0..<n).features, validation, "\(path) rows 0..<\(n)")
        }
        guard let dataPath = loaded.metadata[Checkpoint.Key.dataPath] else {
            throw ModelFileError.noRecordedData(path: loaded.path, flag: "--calibration-data")
        }
        let labelColumn = loaded.metadata[Checkpoint.Key.labelColumn] ?? "label"
        let ds = try prepared(loadDataset(path: dataPath, label: labelColumn), path: dataPath)
        var seed: UInt64 = 0
        if let text = loaded.metadata[Checkpoint.Key.config],
           let config = try? JSONDecoder().decode(TrainConfig.self, from: Data(text.utf8)) { seed = config.seed }
        let split = DataSplit(ds, fractions: SplitFractions(), seed: seed)
        let n = min(calibrationRows, split.train.count)
        return (split.train.rows(0..<n).features, split.validation.count > 0 ? split.validation : nil,
                "\(dataPath) training split (seed \(seed)) rows 0..<\(n)")
    }

    /// Writes `q` as the int8 safetensors `tend eval` runs, with this model's labels, normaliser and data metadata.
    public func writeQuantized(_ q: QuantizedModel, to out: String) throws {
        let loaded = self
        let entries = QuantizedArchive.records(of: q).map { r -> SafetensorsEntry in
            switch r.payload {
            case .int8(let codes): SafetensorsEntry(name: r.name, dtype: .i8, shape: r.shape, bytes: codes.map { UInt8(bitPattern: $0) })
            case .float(let v): SafetensorsEntry(name: r.name, tensor: Tensor(shape: Shape(r.shape), storage: v))
            }
        }
        var meta: [String: String] = [:]
        for key in [Checkpoint.Key.normalizer, Checkpoint.Key.classes, Checkpoint.Key.classLabels, Checkpoint.Key.featureNames,
                    Checkpoint.Key.labelColumn, Checkpoint.Key.dataPath, Checkpoint.Key.config] {
            if let v = loaded.metadata[key] { meta[key] = v }
        }
        if meta[Checkpoint.Key.normalizer] == nil, let n = loaded.normalizer,
           let data = try? JSONEncoder().encode(n) { meta[Checkpoint.Key.normalizer] = String(decoding: data, as: UTF8.self) }
        meta[Checkpoint.Key.arch] = q.architecture.json
        meta.merge(QuantizedArchive.metadata(of: q)) { _, new in new }
        try SafetensorsWriter.write(entries: entries, metadata: meta, to: out)
    }
}

extension QuantizationReport {
    /// The per-layer table and the validation line on stderr.
    public func printTable(fileBytes: Int?, out: String) {
        let r = self
        Output.info(String(format: "%-6@ %-12@ %-5@ %9@ %9@ %8@ %9@ %9@ %9@ %9@", "layer", "shape", "prec", "w SQNR", "w cos",
                           "w clip", "a SQNR", "a clip", "int4 SQNR", "a range"))
        for l in r.layers {
            let a = l.activation
            Output.info(String(format: "%-6@ %-12@ %-5@ %7.1fdB %9.6f %8.5f %7@dB %9.5f %7.1fdB %@",
                               l.name as NSString, l.shape.map(String.init).joined(separator: "x") as NSString, l.precision as NSString,
                               l.weight.sqnrDB, l.weight.cosine, l.weight.clippedFraction,
                               (a.map { String(format: "%.1f", $0.sqnrDB) } ?? "-") as NSString, a?.clippedFraction ?? 0,
                               l.int4Weight.sqnrDB,
                               (l.inputRange.map { String(format: "[%.3g, %.3g]", $0[0], $0[1]) } ?? "-") as NSString))
        }
        Output.info("weights: fp32 \(r.fp32Bytes) bytes → int8 \(r.int8Bytes) bytes" + (fileBytes.map { " (file \($0) bytes)" } ?? ""))
        if let f = r.fp32, let q = r.int8, let i4 = r.int4WhatIf, let agree = r.argmaxAgreement {
            Output.info(String(format: "validation (%d rows): accuracy fp32 %.4f → int8 %.4f (int4 what-if %.4f); loss %.4f → %.4f; argmax agreement %.4f",
                               r.validationRows, f.accuracy, q.accuracy, i4.accuracy, f.loss, q.loss, agree))
        }
        Output.info("wrote \(out) (kernel \(r.kernel))")
    }
}

/// The `--json` object of `tend quantize` (MLP).
public struct QuantizeResult: Encodable {
    var model: String
    var out: String
    var file_bytes: Int?
    var calibration_source: String
    var report: QuantizationReport
    public init(model: String, out: String, file_bytes: Int?, calibration_source: String, report: QuantizationReport) {
        self.model = model; self.out = out; self.file_bytes = file_bytes; self.calibration_source = calibration_source; self.report = report
    }
}
