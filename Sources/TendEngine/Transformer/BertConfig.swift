import TendTensor

/// Sizes and options of a BERT-family encoder, as a Hugging Face `config.json` gives them.
/// Invariant (checked by `validate()`): `hiddenSize` is a multiple of `attentionHeads`; all sizes > 0.
public struct BertConfig: Sendable, Equatable, Codable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var attentionHeads: Int
    public var intermediateSize: Int
    public var hiddenActivation: HiddenActivation
    public var layerNormEpsilon: Float
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var padTokenID: Int

    public init(vocabularySize: Int, hiddenSize: Int, layers: Int, attentionHeads: Int, intermediateSize: Int,
                hiddenActivation: HiddenActivation = .gelu, layerNormEpsilon: Float = 1e-12,
                maxPositions: Int = 512, typeVocabularySize: Int = 2, padTokenID: Int = 0) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.attentionHeads = attentionHeads
        self.intermediateSize = intermediateSize
        self.hiddenActivation = hiddenActivation
        self.layerNormEpsilon = layerNormEpsilon
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.padTokenID = padTokenID
    }

    /// Coded with Hugging Face `config.json` names, so a checkpoint's architecture record reads like one.
    private enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size", hiddenSize = "hidden_size", layers = "num_hidden_layers"
        case attentionHeads = "num_attention_heads", intermediateSize = "intermediate_size", hiddenActivation = "hidden_act"
        case layerNormEpsilon = "layer_norm_eps", maxPositions = "max_position_embeddings"
        case typeVocabularySize = "type_vocab_size", padTokenID = "pad_token_id"
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / attentionHeads }

    /// Why the sizes cannot make an encoder, or nil.
    public func validate() -> String? {
        for (name, v) in [("vocab_size", vocabularySize), ("hidden_size", hiddenSize), ("num_hidden_layers", layers),
                          ("num_attention_heads", attentionHeads), ("intermediate_size", intermediateSize),
                          ("max_position_embeddings", maxPositions), ("type_vocab_size", typeVocabularySize)] where v <= 0 {
            return "\(name) is \(v); it must be positive"
        }
        if hiddenSize % attentionHeads != 0 {
            return "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(attentionHeads)"
        }
        return nil
    }
}

/// How token states become one vector per sequence (sentence-transformers' pooling modes).
public enum Pooling: String, Sendable, Equatable, CaseIterable, Codable {
    /// Mean over the real (mask 1) tokens.
    case mean
    /// The first token's state ([CLS]).
    case cls
    /// Element-wise maximum over the real tokens.
    case max
}
