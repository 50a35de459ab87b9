import TendEngine

/// sentence-transformers' pipeline files: `modules.json` (which modules: Pooling, Normalize) and the
/// pooling module's `config.json`. A directory without them pools by mean without normalising.
public struct SentenceTransformersConfig: Sendable, Equatable {
    public var pooling: Pooling
    public var normalize: Bool
    /// Whether `modules.json` was present.
    public var fromModules: Bool
    /// `max_seq_length` of `sentence_bert_config.json` (the length sentence-transformers truncates to), if given.
    public var maxSequenceLength: Int?

    public init(pooling: Pooling, normalize: Bool, fromModules: Bool, maxSequenceLength: Int? = nil) {
        self.pooling = pooling
        self.normalize = normalize
        self.fromModules = fromModules
        self.maxSequenceLength = maxSequenceLength
    }

    public static func load(directory: String) throws(HuggingFaceModelError) -> SentenceTransformersConfig {
        let modulesPath = directory + "/modules.json", bertConfigPath = directory + "/sentence_bert_config.json"
        var maxLength: Int? = nil
        if ModelDirectoryFiles.exists(bertConfigPath) { maxLength = try ModelDirectoryFiles.json(bertConfigPath)["max_seq_length"]?.intValue }
        guard ModelDirectoryFiles.exists(modulesPath) else { return .init(pooling: .mean, normalize: false, fromModules: false, maxSequenceLength: maxLength) }
        guard case let .array(modules) = try ModelDirectoryFiles.json(modulesPath) else {
            throw .badPooling(path: modulesPath, reason: "expected an array of modules")
        }
        var pooling = Pooling.mean, normalize = false
        for module in modules {
            let type = module["type"]?.stringValue ?? ""
            if type.hasSuffix(".Normalize") { normalize = true }
            if type.hasSuffix(".Pooling") {
                let path = directory + "/" + (module["path"]?.stringValue ?? "1_Pooling") + "/config.json"
                guard ModelDirectoryFiles.exists(path) else { continue }
                let json = try ModelDirectoryFiles.json(path)
                let modes: [(String, Pooling)] = [("pooling_mode_mean_tokens", .mean), ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max)]
                let on = modes.filter { json[$0.0] == .bool(true) }
                if json["pooling_mode_mean_sqrt_len_tokens"] == .bool(true) || json["pooling_mode_weightedmean_tokens"] == .bool(true)
                    || json["pooling_mode_lasttoken"] == .bool(true) {
                    throw .badPooling(path: path, reason: "pooling mode not supported; supported: mean, cls, max (one of them)")
                }
                if let mode = json["pooling_mode"]?.stringValue {
                    guard let p = Pooling(rawValue: mode) else { throw .badPooling(path: path, reason: "pooling_mode \"\(mode)\" not supported; supported: mean, cls, max") }
                    pooling = p
                } else if on.count == 1 {
                    pooling = on[0].1
                } else if on.count > 1 {
                    throw .badPooling(path: path, reason: "several pooling modes at once (\(on.map(\.0).joined(separator: ", "))); Tend pools with one: mean, cls or max")
                }
            }
        }
        return .init(pooling: pooling, normalize: normalize, fromModules: true, maxSequenceLength: maxLength)
    }
}
