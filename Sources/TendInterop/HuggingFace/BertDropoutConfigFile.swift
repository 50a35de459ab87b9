import TendEngine

extension BertConfigFile {
    /// Fine-tuning dropout rates from a Hugging Face `config.json`: `hidden_dropout_prob` and
    /// `attention_probs_dropout_prob` (0.1 when absent, transformers' defaults), `classifier_dropout`
    /// (the hidden rate when absent or null, as `BertForSequenceClassification` does).
    public static func dropoutRates(_ path: String) throws(HuggingFaceModelError) -> BertDropoutRates {
        let json = try ModelDirectoryFiles.json(path)
        func rate(_ key: String) throws(HuggingFaceModelError) -> Float? {
            guard let v = json[key], v != .null else { return nil }
            guard let d = v.doubleValue, d >= 0, d < 1 else {
                throw .invalidConfig(path: path, reason: "\(key) must be a number in [0, 1)")
            }
            return Float(d)
        }
        return BertDropoutRates(hidden: try rate("hidden_dropout_prob") ?? 0.1,
                                attention: try rate("attention_probs_dropout_prob") ?? 0.1,
                                classifier: try rate("classifier_dropout"))
    }
}
