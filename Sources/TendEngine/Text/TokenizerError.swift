/// Why a WordPiece tokenizer could not be built. `source` names the file the vocabulary or option came
/// from (or "vocabulary" when built in memory) so the message says what to fix.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The vocabulary has no tokens.
    case emptyVocabulary(source: String)
    /// A special token the tokenizer needs (unknown, class, separator, pad) is not in the vocabulary.
    case missingSpecialToken(source: String, role: String, token: String)
    /// A tokenizer file cannot be read.
    case unreadable(path: String, reason: String)
    /// A tokenizer file is malformed; `line` is 1-based when known (vocab.txt), else nil.
    case malformed(path: String, line: Int?, reason: String)
    /// A tokenizer file asks for something this tokenizer does not implement.
    case unsupported(path: String, reason: String)
    /// A directory has none of the files a BERT tokenizer is loaded from.
    case noTokenizerFiles(directory: String)

    public var description: String {
        switch self {
        case let .emptyVocabulary(source):
            return "\(source): the vocabulary is empty; expected one WordPiece token per line"
        case let .missingSpecialToken(source, role, token):
            return "\(source): the \(role) token \"\(token)\" is not in the vocabulary"
        case let .unreadable(path, reason):
            return "\(path): cannot read the file: \(reason)"
        case let .malformed(path, line, reason):
            if let line { return "\(path):\(line): \(reason)" }
            return "\(path): \(reason)"
        case let .unsupported(path, reason):
            return "\(path): unsupported tokenizer: \(reason)"
        case let .noTokenizerFiles(directory):
            return "\(directory): no tokenizer files; expected vocab.txt (with tokenizer_config.json) or tokenizer.json"
        }
    }
}
