import Foundation
import TendEngine
import TendInterop
import TendTensor

/// One `tend export` run: a Tend checkpoint (MLP or BERT-family) or a Hugging Face BERT directory written
/// as a clean PyTorch state dict (safetensors, model tensors only) or an ONNX graph. Plain values in, an
/// `ExportReport` out; errors name the file or option.
public struct ExportJob: Sendable {
    public enum Format: String, Sendable, CaseIterable { case torch, onnx }
    public var checkpoint: String?
    /// A Hugging Face BERT-family model directory (instead of `checkpoint`).
    public var model: String?
    public var format: Format
    public var out: String
    /// MLP tensor names in the torch file.
    public var torchNames: MLPExport.TorchNames

    public init(checkpoint: String?, model: String?, format: Format, out: String, torchNames: MLPExport.TorchNames = .sequential) {
        self.checkpoint = checkpoint; self.model = model; self.format = format; self.out = out; self.torchNames = torchNames
    }

    /// From flag text: `format` torch|onnx, `names` sequential|fc; throws `OptionError` naming the flag.
    public init(checkpoint: String?, model: String?, format: String, out: String, names: String) throws {
        guard let f = Format(rawValue: format.lowercased()) else { throw OptionError.invalid(option: "--format", value: format, expected: "torch or onnx") }
        guard let n = MLPExport.TorchNames(rawValue: names.lowercased()) else {
            throw OptionError.invalid(option: "--names", value: names, expected: "sequential (0.weight, 2.weight, …) or fc (fc1.weight, …)")
        }
        self.init(checkpoint: checkpoint, model: model, format: f, out: out, torchNames: n)
    }

    /// The exported model, before writing.
    enum Source { case mlp(MLP, Normalizer?), bert(BertEncoder) }

    public func run() throws -> ExportReport {
        let source: Source, from: String
        if let model {
            source = .bert(try HuggingFaceModel.loadEncoder(directory: model).encoder); from = model
        } else {
            let path = checkpoint!
            let loaded = try ModelLoader(checkpoint: path).load()
            switch loaded.model {
            case let mlp as MLP: source = .mlp(mlp, loaded.normalizer)
            case let bert as BertModel: source = .bert(bert.encoder)
            default: throw OptionError.rejected(option: "--checkpoint", value: path, reason: "export handles MLP and BERT-family checkpoints; this one is \(loaded.model.architecture.summary)")
            }
            from = path
        }
        return try write(source, from: from)
    }

    func write(_ source: Source, from: String) throws -> ExportReport {
        var report = ExportReport(source: from, format: format.rawValue, out: out)
        switch (source, format) {
        case let (.mlp(mlp, _), .torch):
            let dict = MLPExport.torchStateDict(mlp, names: torchNames)
            let module = torchNames == .sequential ? MLPExport.sequentialModule(mlp) : nil
            var meta = ["format": "pt", "tend.names": torchNames.rawValue]
            if let module { meta["tend.module"] = module }
            try SafetensorsWriter.write(tensors: dict, metadata: meta, to: out)
            report.model = "mlp \(mlp.layout.summary)"; report.names = torchNames.rawValue; report.torch_module = module
            report.tensors = dict.map { .init(name: $0.0, shape: $0.1.shape.dims) }
        case let (.bert(encoder), .torch):
            let dict = BertExport.torchStateDict(encoder)
            try SafetensorsWriter.write(tensors: dict, metadata: ["format": "pt", "tend.names": "huggingface BertModel (add_pooling_layer=False)"], to: out)
            report.model = Self.describe(encoder); report.names = "huggingface"
            report.tensors = dict.map { .init(name: $0.0, shape: $0.1.shape.dims) }
        case let (.mlp(mlp, normalizer), .onnx):
            let onnx = MLPExport.onnx(mlp, normalizer: normalizer, doc: "exported by tend from \(from)")
            try OnnxFileWriter.write(onnx, to: out)
            report.model = "mlp \(mlp.layout.summary)"; report.onnx = .init(onnx)
        case let (.bert(encoder), .onnx):
            let onnx = BertExport.onnx(encoder, doc: "exported by tend from \(from)")
            try OnnxFileWriter.write(onnx, to: out)
            report.model = Self.describe(encoder); report.onnx = .init(onnx)
        }
        report.bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
        return report
    }

    static func describe(_ e: BertEncoder) -> String {
        "bert \(e.config.layers) layers, hidden \(e.config.hiddenSize), \(e.pooling.rawValue) pooling\(e.normalize ? ", normalised" : "")"
    }
}

/// What `tend export --json` prints.
public struct ExportReport: Encodable, Sendable {
    public struct TensorName: Encodable, Sendable { public var name: String; public var shape: [Int] }
    public struct Onnx: Encodable, Sendable {
        public var ir_version: Int64, opset: Int64
        public var nodes: Int, initializers: Int
        public var inputs: [String], outputs: [String]
        init(_ m: OnnxModel) {
            ir_version = OnnxModel.irVersion; opset = OnnxModel.opset
            nodes = m.graph.nodes.count; initializers = m.graph.initializers.count
            inputs = m.graph.inputs.map(\.name); outputs = m.graph.outputs.map(\.name)
        }
    }
    public var source: String
    public var format: String
    public var out: String
    public var model = ""
    public var bytes = 0
    /// torch: the naming (`sequential`, `fc`, `huggingface`), the tensors written, and for `sequential` the module.
    public var names: String?
    public var tensors: [TensorName]?
    public var torch_module: String?
    public var onnx: Onnx?

    /// One line for stderr.
    public var summary: String {
        let what = onnx.map { "\($0.nodes) nodes, \($0.initializers) initializers, opset \($0.opset)" }
            ?? "\(tensors?.count ?? 0) tensors (\(names ?? ""))"
        return "wrote \(out) (\(bytes) bytes): \(model), \(what)"
    }
}
