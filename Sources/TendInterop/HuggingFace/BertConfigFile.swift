import TendEngine
import TendTensor

/// Reads a Hugging Face `config.json` into a `BertConfig`.
public enum BertConfigFile {
    /// `model_type`s whose checkpoints use BERT's layout and names.
    public static let supportedModelTypes = ["bert"]

    public static func load(_ path: String) throws(HuggingFaceModelError) -> BertConfig {
        let json = try ModelDirectoryFiles.json(path)
        guard case .object = json else { throw .invalidConfig(path: path, reason: "top level is \(json.kindName), expected an object") }
        let type = json["model_type"]?.stringValue ?? "(none)"
        guard supportedModelTypes.contains(type) else {
            throw .unsupportedModelType(path: path, found: type, supported: supportedModelTypes)
        }
        func int(_ key: String, default value: Int? = nil) throws(HuggingFaceModelError) -> Int {
            if let v = json[key]?.intValue { return v }
            if let value, json[key] == nil || json[key] == .null { return value }
            throw .missingField(path: path, field: key)
        }
        let actName = json["hidden_act"]?.stringValue ?? "gelu"
        let activation: HiddenActivation
        switch actName {
        case "gelu": activation = .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": activation = .geluTanh
        case "relu": activation = .relu
        default: throw .invalidConfig(path: path, reason: "hidden_act \"\(actName)\" is not supported; supported: gelu, gelu_new, gelu_pytorch_tanh, relu")
        }
        if let pe = json["position_embedding_type"]?.stringValue, pe != "absolute" {
            throw .invalidConfig(path: path, reason: "position_embedding_type \"\(pe)\" is not supported; supported: absolute")
        }
        let config = BertConfig(
            vocabularySize: try int("vocab_size"), hiddenSize: try int("hidden_size"),
            layers: try int("num_hidden_layers"), attentionHeads: try int("num_attention_heads"),
            intermediateSize: try int("intermediate_size"), hiddenActivation: activation,
            layerNormEpsilon: Float(json["layer_norm_eps"]?.doubleValue ?? 1e-12),
            maxPositions: try int("max_position_embeddings", default: 512),
            typeVocabularySize: try int("type_vocab_size", default: 2),
            padTokenID: try int("pad_token_id", default: 0))
        if let reason = config.validate() { throw .invalidConfig(path: path, reason: reason) }
        return config
    }
}
