import Foundation
import TendEngine
import TendInterop
import TendTensor

/// The BERT fixtures written by `Fixtures/make_bert_fixture.py` (committed; tests need no Python).
enum BertFixtures {
    static let directory = repositoryRoot + "/Tests/TendInteropTests/Fixtures/bert"
    /// A random 2-layer BERT (hidden 32, 4 heads) as a Hugging Face directory.
    static let tinyModel = directory + "/tiny-bert"

    /// The all-MiniLM-L6-v2 directory `make models` fills.
    static var miniLMModel: String {
        let env = ProcessInfo.processInfo.environment
        let cache = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return cache + "/tend/models/all-MiniLM-L6-v2"
    }

    /// Inputs and transformers' fp32 outputs of one reference file.
    struct Reference {
        var batch: EncoderBatch
        /// [batch · length, hidden]
        var lastHiddenState: Tensor
        /// [batch, hidden]: mean over the mask, L2-normalised.
        var pooled: Tensor
        var metadata: [String: String]
    }

    static func reference(_ name: String) throws -> Reference {
        let file = try SafetensorsFile(path: directory + "/" + name)
        let ids = try file.floatTensor("input_ids")
        let b = ids.shape[0], l = ids.shape[1]
        func ints(_ n: String) throws -> [Int32] { try file.floatTensor(n).storage.map { Int32($0) } }
        let hidden = try file.floatTensor("last_hidden_state")
        return Reference(batch: EncoderBatch(batch: b, length: l, ids: try ints("input_ids"), typeIDs: try ints("token_type_ids"),
                                             attentionMask: try ints("attention_mask")),
                         lastHiddenState: hidden.reshaped([b * l, hidden.shape[2]]),
                         pooled: try file.floatTensor("pooled"), metadata: file.metadata)
    }

    /// Largest |a − b| over the rows whose mask is 1.
    static func maxDifference(_ a: Tensor, _ b: Tensor, mask: [Int32]) -> Float {
        let h = a.cols
        var worst: Float = 0
        for r in 0..<a.rows where mask[r] != 0 {
            for j in 0..<h { worst = max(worst, abs(a[r, j] - b[r, j])) }
        }
        return worst
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices { ab += Double(a[i]) * Double(b[i]); aa += Double(a[i]) * Double(a[i]); bb += Double(b[i]) * Double(b[i]) }
        return ab / (aa.squareRoot() * bb.squareRoot())
    }
}
