/// A model file (checkpoint, plain weights or int8 archive) that a command cannot use. Each description starts
/// with the file's path (so `--json` error reports carry it) and says what to do.
public enum ModelFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A safetensors file without Tend's `arch` metadata: weights trained elsewhere.
    case notATendCheckpoint(path: String)
    /// A metadata entry (`arch`, `normalizer`) that does not decode; `excerpt` is the start of its text.
    case unreadableMetadata(path: String, key: String, excerpt: String?)
    /// An int8 archive (`tend quantize`) whose `arch` metadata is missing or unreadable.
    case int8WithoutArch(path: String)
    /// The `arch` metadata decodes but does not build a model.
    case invalidArchitecture(path: String, reason: String)
    /// The file's tensors do not fit the model (missing tensor, wrong shape, …).
    case tensorsDoNotFit(path: String, reason: String)
    /// `tend quantize` given a file that is already int8.
    case alreadyQuantized(path: String)
    /// A command that needs fp32 weights given an int8 file.
    case needsFloatWeights(path: String, command: String)
    /// The checkpoint records no training-data path and none was given; `flag` is the option to give.
    case noRecordedData(path: String, flag: String)
    /// `--weights`: no layout of the file's tensor names (`found`: name and shape) gives the MLP of `widths`;
    /// `ambiguous`: the layouts that each fit, when more than one did.
    case weightNamesDoNotFit(path: String, widths: [Int], found: [String], ambiguous: [String])

    public var description: String {
        switch self {
        case let .notATendCheckpoint(path):
            return "\(path) is not a Tend checkpoint (no \"arch\" metadata); for weights trained elsewhere use --weights FILE --arch A-B-C"
        case let .unreadableMetadata(path, key, excerpt):
            let tail = excerpt.map { ": \($0.prefix(80))" } ?? ""
            return "\(path): metadata \"\(key)\" is unreadable\(tail); re-save the checkpoint with tend train, or load the bare weights with --weights FILE --arch A-B-C"
        case let .int8WithoutArch(path):
            return "\(path): int8 file without a readable \"arch\" metadata entry; quantize the fp32 checkpoint again with tend quantize"
        case let .invalidArchitecture(path, reason):
            return "\(path): metadata \"arch\": \(reason)"
        case let .tensorsDoNotFit(path, reason):
            return "\(path): \(reason)"
        case let .alreadyQuantized(path):
            return "\(path) is already quantized; give the fp32 checkpoint it came from"
        case let .needsFloatWeights(path, command):
            return "\(path) is int8; \(command) from the fp32 checkpoint it came from"
        case let .noRecordedData(path, flag):
            return "\(path) does not record its training data; give \(flag) CSV"
        case let .weightNamesDoNotFit(path, widths, found, ambiguous):
            let arch = widths.map(String.init).joined(separator: "-")
            let shown = found.prefix(24).joined(separator: ", ") + (found.count > 24 ? ", … (\(found.count) tensors)" : "")
            let why = ambiguous.count > 1
                ? "several layouts fit --arch \(arch) (\(ambiguous.joined(separator: "; "))); pick one with --rename"
                : "no layout of its tensor names gives --arch \(arch) (\(widths.count - 1) linear layers, weight [out, in] chaining the widths)"
            return "\(path): \(why); accepted: fcN.weight/bias, nn.Sequential indices (0.weight, 2.weight, …), layers.N.*, "
                + "PREFIX.N.*, or --rename 'PATTERN=REPL' (regex, $1 in REPL); found: \(shown.isEmpty ? "no tensors" : shown)"
        }
    }
}
