import TendEngine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads a Hugging Face BERT WordPiece tokenizer from a model directory: `vocab.txt` (one token per line,
/// id = line − 1) with the options of `tokenizer_config.json` (`do_lower_case`, `strip_accents`,
/// `tokenize_chinese_chars`, special tokens; all optional), or, when vocab.txt is absent, `tokenizer.json`
/// (a `WordPiece` model with `##` continuations and a `BertNormalizer`).
public enum TokenizerFiles {
    public static func load(directory: String) throws -> WordPieceTokenizer {
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let vocabPath = dir + "/vocab.txt"
        let configPath = dir + "/tokenizer_config.json"
        let jsonPath = dir + "/tokenizer.json"
        if exists(vocabPath) {
            let vocabulary = try readVocabulary(path: vocabPath)
            var options = WordPieceTokenizer.Options()
            if exists(configPath) { try applyConfig(try readJSON(configPath), path: configPath, to: &options) }
            return try WordPieceTokenizer(vocabulary: vocabulary, options: options, source: vocabPath)
        }
        if exists(jsonPath) {
            let (vocabulary, options) = try readTokenizerJSON(try readJSON(jsonPath), path: jsonPath)
            return try WordPieceTokenizer(vocabulary: vocabulary, options: options, source: jsonPath)
        }
        throw TokenizerError.noTokenizerFiles(directory: dir)
    }

    /// The tokens of a vocab.txt, one per line (`\n` or `\r\n`), in id order. A trailing newline adds no token.
    public static func readVocabulary(path: String) throws -> [String] {
        let bytes = try read(path)
        var tokens: [String] = []
        tokens.reserveCapacity(bytes.count / 7)
        var start = 0
        var line = 1
        func take(_ end: Int) throws {
            var e = end
            if e > start && bytes[e - 1] == 13 { e -= 1 }
            guard let token = String(validating: bytes[start..<e], as: UTF8.self) else {
                throw TokenizerError.malformed(path: path, line: line, reason: "the token is not valid UTF-8")
            }
            tokens.append(token)
        }
        for i in 0..<bytes.count where bytes[i] == 10 {
            try take(i)
            start = i + 1
            line += 1
        }
        if start < bytes.count { try take(bytes.count) }
        if tokens.isEmpty { throw TokenizerError.emptyVocabulary(source: path) }
        return tokens
    }

    // MARK: - tokenizer_config.json

    static func applyConfig(_ config: JSONValue, path: String, to options: inout WordPieceTokenizer.Options) throws {
        guard case .object = config else {
            throw TokenizerError.malformed(path: path, line: nil, reason: "expected a JSON object, found \(config.kindName)")
        }
        if let v = try bool(config, "do_lower_case", path) { options.lowercase = v }
        if let v = try bool(config, "tokenize_chinese_chars", path) { options.tokenizeChineseChars = v }
        if let v = config["strip_accents"], v != .null {
            guard case let .bool(b) = v else {
                throw TokenizerError.malformed(path: path, line: nil, reason: "\"strip_accents\" must be true, false or null, found \(v.kindName)")
            }
            options.stripAccents = b
        }
        if let v = try token(config, "unk_token", path) { options.unknownToken = v }
        if let v = try token(config, "cls_token", path) { options.classToken = v }
        if let v = try token(config, "sep_token", path) { options.separatorToken = v }
        if let v = try token(config, "pad_token", path) { options.padToken = v }
        let mask = try token(config, "mask_token", path) ?? "[MASK]"
        var specials = [options.padToken, options.unknownToken, options.classToken, options.separatorToken, mask]
        // Added special tokens declared in the config (transformers' added_tokens_decoder).
        if case let .object(added)? = config["added_tokens_decoder"] {
            for (_, entry) in added where entry["special"] == .bool(true) {
                if let content = entry["content"]?.stringValue { specials.append(content) }
            }
        }
        options.specialTokens = Array(Set(specials)).sorted()
    }

    // MARK: - tokenizer.json

    static func readTokenizerJSON(_ json: JSONValue, path: String) throws -> ([String], WordPieceTokenizer.Options) {
        guard let model = json["model"], case .object = model else {
            throw TokenizerError.malformed(path: path, line: nil, reason: "no \"model\" object")
        }
        let type = model["type"]?.stringValue ?? "?"
        guard type == "WordPiece" else {
            throw TokenizerError.unsupported(path: path, reason: "model type \"\(type)\"; only WordPiece (BERT) is supported")
        }
        if let prefix = model["continuing_subword_prefix"]?.stringValue, prefix != "##" {
            throw TokenizerError.unsupported(path: path, reason: "continuing_subword_prefix \"\(prefix)\"; only \"##\" is supported")
        }
        guard case let .object(entries)? = model["vocab"] else {
            throw TokenizerError.malformed(path: path, line: nil, reason: "model.vocab must be an object of token → id")
        }
        if entries.isEmpty { throw TokenizerError.emptyVocabulary(source: path) }
        var vocabulary = [String?](repeating: nil, count: entries.count)
        for (token, value) in entries {
            guard let id = value.intValue, id >= 0, id < entries.count else {
                throw TokenizerError.malformed(path: path, line: nil,
                    reason: "model.vocab[\"\(token)\"] = \(value): ids must be integers 0..<\(entries.count)")
            }
            if let other = vocabulary[id] {
                throw TokenizerError.malformed(path: path, line: nil,
                    reason: "model.vocab: tokens \"\(other)\" and \"\(token)\" share id \(id)")
            }
            vocabulary[id] = token
        }
        var options = WordPieceTokenizer.Options()
        if let unk = model["unk_token"]?.stringValue { options.unknownToken = unk }
        if let m = model["max_input_chars_per_word"]?.intValue { options.maxInputCharsPerWord = m }
        if let normalizer = json["normalizer"], normalizer != .null {
            let ntype = normalizer["type"]?.stringValue ?? "?"
            guard ntype == "BertNormalizer" else {
                throw TokenizerError.unsupported(path: path, reason: "normalizer \"\(ntype)\"; only BertNormalizer is supported")
            }
            if normalizer["clean_text"] == .bool(false) {
                throw TokenizerError.unsupported(path: path, reason: "BertNormalizer with clean_text false")
            }
            if let v = try bool(normalizer, "lowercase", path) { options.lowercase = v }
            if let v = try bool(normalizer, "handle_chinese_chars", path) { options.tokenizeChineseChars = v }
            if let v = normalizer["strip_accents"], v != .null {
                guard case let .bool(b) = v else {
                    throw TokenizerError.malformed(path: path, line: nil, reason: "normalizer.strip_accents must be true, false or null")
                }
                options.stripAccents = b
            }
        }
        // Special tokens: the post-processor names [CLS]/[SEP]; padding names [PAD]; added special tokens.
        if let post = json["post_processor"], post != .null {
            if let cls = post["cls"], case let .array(a) = cls, let t = a.first?.stringValue { options.classToken = t }
            if let sep = post["sep"], case let .array(a) = sep, let t = a.first?.stringValue { options.separatorToken = t }
            if case let .array(single)? = post["single"] {
                let specials = single.compactMap { $0["SpecialToken"]?["id"]?.stringValue }
                if specials.count >= 2 { options.classToken = specials[0]; options.separatorToken = specials[specials.count - 1] }
            }
        }
        if let pad = json["padding"]?["pad_token"]?.stringValue { options.padToken = pad }
        var specials = [options.padToken, options.unknownToken, options.classToken, options.separatorToken]
        if case let .array(added)? = json["added_tokens"] {
            for entry in added where entry["special"] == .bool(true) {
                if let content = entry["content"]?.stringValue { specials.append(content) }
            }
        } else {
            specials.append("[MASK]")
        }
        options.specialTokens = Array(Set(specials)).sorted()
        return (vocabulary.map { $0! }, options)
    }

    // MARK: - Helpers

    private static func bool(_ object: JSONValue, _ key: String, _ path: String) throws -> Bool? {
        guard let v = object[key], v != .null else { return nil }
        guard case let .bool(b) = v else {
            throw TokenizerError.malformed(path: path, line: nil, reason: "\"\(key)\" must be true or false, found \(v.kindName)")
        }
        return b
    }

    /// A special token given as a string or as an AddedToken object `{"content": "[UNK]", ...}`.
    private static func token(_ object: JSONValue, _ key: String, _ path: String) throws -> String? {
        guard let v = object[key], v != .null else { return nil }
        if let s = v.stringValue { return s }
        if let s = v["content"]?.stringValue { return s }
        throw TokenizerError.malformed(path: path, line: nil, reason: "\"\(key)\" must be a string or {\"content\": …}, found \(v.kindName)")
    }

    private static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    private static func read(_ path: String) throws -> [UInt8] {
        do { return try readWholeFile(path) } catch { throw TokenizerError.unreadable(path: error.path, reason: error.reason) }
    }

    private static func readJSON(_ path: String) throws -> JSONValue {
        let bytes = try read(path)
        do { return try JSONParser().parse(bytes) } catch {
            throw TokenizerError.malformed(path: path, line: nil, reason: "invalid JSON: \(error)")
        }
    }
}
