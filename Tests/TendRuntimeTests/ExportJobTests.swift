import Foundation
import Testing
import TendEngine
import TendInterop
import TendRuntime
import TendTensor

@Suite("tend export")
struct ExportJobTests {
    /// A checkpoint as the trainer writes it, with Adam state in the same file (the older layout): the export
    /// must leave it out either way.
    static func checkpoint(in dir: String) throws -> (path: String, model: MLP) {
        let layout = MLPLayout(sizes: [3, 5, 2], activation: .tanh)
        let model = try MLP(layout: layout, seed: 3)
        var tensors = model.namedTensors()
        tensors += model.parameters.map { ("adam.m.\($0.name)", $0.value) }
        let norm = Normalizer(kind: .standard, offset: [0.5, -1, 2], factor: [2, 1, 0.25])
        let meta = [Checkpoint.Key.format: Checkpoint.formatVersion, Checkpoint.Key.arch: Architecture.mlp(layout).json,
                    Checkpoint.Key.normalizer: String(decoding: try JSONEncoder().encode(norm), as: UTF8.self)]
        let path = dir + "/ck.safetensors"
        try SafetensorsWriter.write(tensors: tensors, metadata: meta, to: path)
        return (path, model)
    }

    @Test("the torch file holds only the model's tensors, named for nn.Sequential or fcN, and loads back with --weights")
    func torchRoundTrip() throws {
        let dir = NSTemporaryDirectory() + "tend-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (ck, model) = try Self.checkpoint(in: dir)
        let x = Tensor(shape: [2, 3], storage: [0.1, 0.2, 0.3, -1, 0, 1])
        for (names, expected) in [("sequential", ["0.weight", "0.bias", "2.weight", "2.bias"]),
                                  ("fc", ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])] {
            let out = dir + "/\(names).safetensors"
            let report = try ExportJob(checkpoint: ck, model: nil, format: "torch", out: out, names: names).run()
            #expect(report.tensors?.map(\.name) == expected)
            let file = try SafetensorsFile(path: out)
            #expect(file.names == expected)
            #expect(file.metadata["format"] == "pt")
            #expect(!file.names.contains { $0.hasPrefix("adam.") })
            let back = try ModelLoader(weights: out, arch: "3-5-2", activation: "tanh").load()
            #expect(back.ignoredTensors.isEmpty)
            #expect(back.model.predict(x).storage == model.predict(x).storage)
        }
        #expect(try ExportJob(checkpoint: ck, model: nil, format: "torch", out: dir + "/s.safetensors", names: "sequential").run()
                    .torch_module == "nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))")
    }

    @Test("an ONNX export of a checkpoint carries its normaliser and reports the graph")
    func onnxReport() throws {
        let dir = NSTemporaryDirectory() + "tend-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (ck, _) = try Self.checkpoint(in: dir)
        let report = try ExportJob(checkpoint: ck, model: nil, format: "onnx", out: dir + "/m.onnx", names: "sequential").run()
        #expect(report.onnx?.opset == 17 && report.onnx?.inputs == ["features"] && report.onnx?.outputs == ["logits"])
        #expect(report.onnx?.nodes == 5)      // Sub, Mul, Gemm, Tanh, Gemm
        let size = try FileManager.default.attributesOfItem(atPath: dir + "/m.onnx")[.size] as? Int
        #expect(report.bytes > 0 && report.bytes == size)
    }

    @Test("a BERT checkpoint and a Hugging Face directory export under Hugging Face names and as the three-input graph")
    func bert() throws {
        let tiny = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TendInteropTests/Fixtures/bert/tiny-bert").path
        let dir = NSTemporaryDirectory() + "tend-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try HuggingFaceModel.loadEncoder(directory: tiny).model()
        let ck = dir + "/bert-ck.safetensors"
        try SafetensorsWriter.write(tensors: model.namedTensors(),
                                    metadata: [Checkpoint.Key.format: Checkpoint.formatVersion, Checkpoint.Key.arch: model.architecture.json], to: ck)
        let names = model.encoder.parameterLayout.map(\.name)
        for (checkpoint, directory) in [(ck, nil), (nil, tiny)] as [(String?, String?)] {
            let torch = try ExportJob(checkpoint: checkpoint, model: directory, format: "torch", out: dir + "/t.safetensors", names: "sequential").run()
            #expect(torch.tensors?.map(\.name) == names)
            #expect(try SafetensorsFile(path: dir + "/t.safetensors").names == names)
            let onnx = try ExportJob(checkpoint: checkpoint, model: directory, format: "onnx", out: dir + "/t.onnx", names: "sequential").run()
            #expect(onnx.onnx?.inputs == ["input_ids", "attention_mask", "token_type_ids"])
            #expect(onnx.onnx?.outputs == ["last_hidden_state", "sentence_embedding"])
        }
    }

    @Test("unknown --format or --names values are refused naming the flag")
    func badFlags() {
        #expect(throws: OptionError.invalid(option: "--format", value: "tflite", expected: "torch or onnx")) {
            try ExportJob(checkpoint: "x", model: nil, format: "tflite", out: "y", names: "fc")
        }
        #expect(throws: OptionError.self) { try ExportJob(checkpoint: "x", model: nil, format: "onnx", out: "y", names: "layers") }
    }
}
