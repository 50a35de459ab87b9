import Foundation
import Testing
import TendCore
import TendEngine
import TendTensor
@testable import TendRuntime

/// `--weights` reads the common PyTorch state-dict layouts (fixtures from `Fixtures/make_torch_layouts.py`:
/// one 4-8-5-3 ReLU MLP saved as nn.Sequential, layers.N, net.N and custom names) and gives torch's logits.
@Suite struct WeightLayoutTests {
    static let dir: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Fixtures/torch-layouts").path
    }()

    struct Reference: Decodable { var inputs: [[Float]]; var logits: [[Float]] }
    static let reference = try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/reference.json")))

    func maxDifferenceToTorch(_ loaded: ModelLoader.Loaded) -> Float {
        let x = Tensor(shape: [3, 4], storage: Self.reference.inputs.flatMap { $0 })
        let y = loaded.model.predict(x)
        return zip(y.storage, Self.reference.logits.flatMap { $0 }).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test(arguments: [("sequential", "nn.Sequential indices 0, 2, 4"), ("layers", "layers.N (N = 0, 1, 2)"),
                      ("net", "net.N (N = 0, 2, 4)")])
    func readsPyTorchLayouts(file: String, layout: String) throws {
        let loaded = try ModelLoader(weights: "\(Self.dir)/\(file).safetensors", arch: "4-8-5-3").load()
        #expect(loaded.weightLayout == layout)
        #expect(loaded.ignoredTensors.isEmpty && loaded.usedTensors.count == 6)
        #expect(maxDifferenceToTorch(loaded) < 1e-5)
    }

    @Test func renameRulesMapCustomNames() throws {
        let loaded = try ModelLoader(weights: "\(Self.dir)/custom.safetensors", arch: "4-8-5-3",
                                     renames: [#"encoder\.in_proj=fc1"#, #"encoder\.hidden=fc2"#, #"^head=fc3"#]).load()
        #expect(loaded.weightLayout == "fcN after --rename")
        #expect(maxDifferenceToTorch(loaded) < 1e-5)
    }

    @Test func noFittingLayoutListsTheNamesFound() throws {
        let path = "\(Self.dir)/custom.safetensors"
        let error = #expect(throws: ModelFileError.self) { try ModelLoader(weights: path, arch: "4-8-5-3").load() }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.hasPrefix(path))
        #expect(text.contains("encoder.in_proj.weight 8×4") && text.contains("head.bias 3"))
        #expect(text.contains("--rename 'PATTERN=REPL'") && text.contains("nn.Sequential"))
        // Right names, wrong architecture: the shapes are listed too.
        let wrong = #expect(throws: ModelFileError.self) {
            try ModelLoader(weights: "\(Self.dir)/sequential.safetensors", arch: "4-8-3").load()
        }
        #expect(wrong.map(String.init(describing:))?.contains("0.weight 8×4") == true)
    }

    @Test func badRenameIsAnOptionError() {
        #expect(throws: OptionError.self) { try ModelLoader(weights: "\(Self.dir)/custom.safetensors", arch: "4-8-5-3", renames: ["fc1"]).load() }
        #expect(throws: OptionError.self) { try ModelLoader(weights: "\(Self.dir)/custom.safetensors", arch: "4-8-5-3", renames: ["(=x"]).load() }
    }

    @Test func mappingOfNamesAlone() throws {
        let shapes: [(name: String, shape: [Int])] = [("fc1.weight", [8, 4]), ("fc1.bias", [8]), ("fc2.weight", [3, 8]), ("fc2.bias", [3]),
                                                      ("adam.m.fc1.weight", [8, 4])]
        let m = try WeightNameMapping.resolve(shapes, widths: [4, 8, 3], path: "w")
        #expect(m.layout == "fcN" && m.modelNames == ["fc1.weight": "fc1.weight", "fc1.bias": "fc1.bias",
                                                     "fc2.weight": "fc2.weight", "fc2.bias": "fc2.bias"])
    }
}
