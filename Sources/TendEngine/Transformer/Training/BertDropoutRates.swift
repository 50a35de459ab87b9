/// Dropout probabilities of fine-tuning, as Hugging Face's `config.json` names them: `hidden_dropout_prob`
/// (after the embeddings and after each block's output projection), `attention_probs_dropout_prob` (on the
/// attention probabilities) and `classifier_dropout` (on the pooled vector; Hugging Face falls back to the
/// hidden rate when it is null). Each lies in [0, 1); dropout acts only in training forwards.
public struct BertDropoutRates: Sendable, Equatable, Codable {
    public var hidden: Float
    public var attention: Float
    public var classifier: Float

    public init(hidden: Float = 0.1, attention: Float = 0.1, classifier: Float? = nil) {
        self.hidden = hidden
        self.attention = attention
        self.classifier = classifier ?? hidden
        for (name, r) in [("hidden", hidden), ("attention", attention), ("classifier", self.classifier)] {
            precondition(r >= 0 && r < 1, "BertDropoutRates: \(name) rate \(r) must lie in [0, 1)")
        }
    }

    /// No dropout anywhere (gradient checks, evaluation-equivalent training forwards).
    public static let none = BertDropoutRates(hidden: 0, attention: 0, classifier: 0)
}
