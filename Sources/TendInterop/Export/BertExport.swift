import TendEngine
import TendTensor

/// Export of a BERT-family encoder: the PyTorch state dict under Hugging Face `BertModel` names (no `bert.`
/// prefix, no pooler: load with `add_pooling_layer=False`), and an ONNX graph of the encoder plus the
/// sentence-transformers pooling Tend applies (`tend embed`'s vectors).
public enum BertExport {
    /// Every encoder tensor under its Hugging Face name, in checkpoint order (weights [out, in]).
    public static func torchStateDict(_ encoder: BertEncoder) -> [(String, Tensor)] {
        encoder.namedParameters.map { ($0.name, $0.tensor) }
    }

    /// Additive attention mask for padded keys (exp underflows to exactly 0; finite, so no NaN).
    static let maskedScore: Float = -1e9

    /// The ONNX graph. Inputs (int64, [batch, sequence]): `input_ids`, `attention_mask` (1 real, 0 padding),
    /// `token_type_ids`. Outputs: `last_hidden_state` [batch, sequence, hidden] and `sentence_embedding`
    /// [batch, hidden] (the encoder's pooling over real tokens, then L2 normalisation if it normalises).
    /// Linear weights are stored transposed ([in, out], initializer `NAME_t`) for `MatMul`.
    public static func onnx(_ encoder: BertEncoder, doc: String = "") -> OnnxModel {
        let c = encoder.config
        let params = Dictionary(encoder.namedParameters.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        var b = OnnxGraphBuilder(name: "tend_bert")
        let dims: [OnnxValueInfo.Dim] = [.name("batch"), .name("sequence")]
        for name in ["input_ids", "attention_mask", "token_type_ids"] { b.input(name, .int64, dims) }

        func tensor(_ name: String) -> String {
            let t = params[name]!
            return b.constant(name, dims: t.shape.dims, t.storage)
        }
        func transposed(_ name: String) -> String {
            let t = params[name]!
            let (rows, cols) = (t.shape.dims[0], t.shape.dims[1])
            var out = [Float](repeating: 0, count: rows * cols)
            t.storage.withUnsafeBufferPointer { src in
                for r in 0..<rows { for j in 0..<cols { out[j * rows + r] = src[r * cols + j] } }
            }
            return b.constant(name + "_t", dims: [cols, rows], out)
        }
        func linear(_ x: String, _ name: String) -> String {
            b.add(b.node("MatMul", [x, transposed(name + ".weight")]), tensor(name + ".bias"))
        }
        func norm(_ x: String, _ name: String) -> String {
            b.layerNorm(x, gamma: tensor(name + ".weight"), beta: tensor(name + ".bias"), epsilon: c.layerNormEpsilon)
        }
        func int64s(_ name: String, _ v: [Int64], scalar: Bool = false) -> String {
            b.constant(name, dims: scalar ? [] : [v.count], int64: v)
        }

        // Embeddings: word + token type + position (positions 0 ..< sequence).
        let word = b.node("Gather", [tensor("embeddings.word_embeddings.weight"), "input_ids"])
        let type = b.node("Gather", [tensor("embeddings.token_type_embeddings.weight"), "token_type_ids"])
        let shape = b.node("Shape", ["input_ids"])
        let length = b.node("Gather", [shape, int64s("one_i64", [1], scalar: true)])
        let positions = b.node("Range", [int64s("zero_i64", [0], scalar: true), length, "one_i64"])
        let position = b.node("Gather", [tensor("embeddings.position_embeddings.weight"), positions])
        var h = norm(b.add(b.add(word, type), position), "embeddings.LayerNorm")

        // Mask: [batch, sequence] float, and its additive form [batch, 1, 1, sequence].
        let mask = b.node("Cast", ["attention_mask"], [OnnxAttribute("to", .int(OnnxDataType.float.rawValue))])
        let one = b.scalar(1, "one")
        let padding = b.node("Sub", [one, mask])
        let additive = b.node("Unsqueeze", [b.mul(padding, b.scalar(maskedScore, "masked")), int64s("axes_1_2", [1, 2])])

        let heads = Int64(c.attentionHeads), head = Int64(c.headSize)
        let splitShape = int64s("shape_heads", [0, 0, heads, head])
        let mergeShape = int64s("shape_hidden", [0, 0, Int64(c.hiddenSize)])
        let scale = b.scalar(1 / Float(c.headSize).squareRoot(), "inv_sqrt_head")
        func split(_ x: String, _ perm: [Int64]) -> String {
            b.node("Transpose", [b.node("Reshape", [x, splitShape])], [OnnxAttribute("perm", .ints(perm))])
        }
        for i in 0..<c.layers {
            let p = "encoder.layer.\(i)."
            let q = split(linear(h, p + "attention.self.query"), [0, 2, 1, 3])
            let k = split(linear(h, p + "attention.self.key"), [0, 2, 3, 1])
            let v = split(linear(h, p + "attention.self.value"), [0, 2, 1, 3])
            let scores = b.add(b.mul(b.node("MatMul", [q, k]), scale), additive)
            let probs = b.node("Softmax", [scores], [OnnxAttribute("axis", .int(-1))])
            let context = b.node("Transpose", [b.node("MatMul", [probs, v])], [OnnxAttribute("perm", .ints([0, 2, 1, 3]))])
            let merged = b.node("Reshape", [context, mergeShape])
            let attended = norm(b.add(linear(merged, p + "attention.output.dense"), h), p + "attention.output.LayerNorm")
            var inner = linear(attended, p + "intermediate.dense")
            switch c.hiddenActivation {
            case .gelu: inner = b.geluErf(inner)
            case .geluTanh: inner = b.geluTanh(inner)
            case .relu: inner = b.node("Relu", [inner])
            }
            h = norm(b.add(linear(inner, p + "output.dense"), attended), p + "output.LayerNorm")
        }
        b.node("Identity", [h], output: "last_hidden_state")

        // Pooling over real tokens.
        let mask3 = b.node("Unsqueeze", [mask, int64s("axes_2", [2])])
        var pooled: String
        switch encoder.pooling {
        case .mean:
            let sum = b.node("ReduceSum", [b.mul(h, mask3), int64s("axes_1", [1])], [OnnxAttribute("keepdims", .int(0))])
            let count = b.node("ReduceSum", [mask3, "axes_1"], [OnnxAttribute("keepdims", .int(0))])
            pooled = b.node("Div", [sum, b.node("Max", [count, b.scalar(1e-9, "tiny")])])
        case .cls:
            pooled = b.node("Gather", [h, "zero_i64"], [OnnxAttribute("axis", .int(1))])
        case .max:
            let shifted = b.add(h, b.mul(b.node("Sub", [mask3, one]), b.scalar(-maskedScore, "big")))
            pooled = b.node("ReduceMax", [shifted], [OnnxAttribute("axes", .ints([1])), OnnxAttribute("keepdims", .int(0))])
        }
        if encoder.normalize {
            let l2 = b.node("ReduceL2", [pooled], [OnnxAttribute("axes", .ints([1])), OnnxAttribute("keepdims", .int(1))])
            pooled = b.node("Div", [pooled, b.node("Max", [l2, b.scalar(1e-12, "eps_l2")])])
        }
        b.node("Identity", [pooled], output: "sentence_embedding")
        b.output("last_hidden_state", .float, [.name("batch"), .name("sequence"), .value(c.hiddenSize)])
        b.output("sentence_embedding", .float, [.name("batch"), .value(c.hiddenSize)])
        b.setDoc("Tend BERT encoder: \(c.layers) layers, hidden \(c.hiddenSize), \(c.attentionHeads) heads; \(encoder.pooling.rawValue) pooling\(encoder.normalize ? ", L2-normalised" : "")")
        return OnnxModel(graph: b.graph, doc: doc)
    }
}
