import Foundation

/// How the tensor names of a weights file trained elsewhere map onto the MLP's `fc1 … fcN`
/// (`fcK.weight` [out, in], `fcK.bias` [out]). Accepts the common PyTorch state-dict layouts:
/// `fcK.*` (any start index), `nn.Sequential` indices (`0.weight`, `2.weight`, … with activations in
/// between), `layers.N.*`, any `PREFIX.N.*` / `PREFIXN.*` stack (`net.0`, `model.layers.3.linear`), or
/// names rewritten first by `--rename 'PATTERN=REPL'` (a regular expression, `$1` in REPL). A stack is
/// the 2-D `.weight` tensors sharing a prefix and suffix around the index, taken in index order; it fits
/// when it has N layers whose shapes chain through the architecture's widths.
public struct WeightNameMapping: Sendable, Equatable {
    /// File name → model name (`0.weight` → `fc1.weight`), for every tensor the model takes.
    public var modelNames: [String: String]
    /// What was recognised, for messages: `nn.Sequential indices 0, 2, 4`, `layers.N`, `fcN`.
    public var layout: String

    /// One `--rename 'PATTERN=REPL'` rule, applied to every name in the order given.
    public struct Rename: Sendable, Equatable {
        public var pattern: String
        public var replacement: String
        /// Parses `PATTERN=REPL` (split at the first `=`); throws `OptionError` naming `--rename`.
        public init(parsing text: String) throws {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw OptionError.invalid(option: "--rename", value: text, expected: "PATTERN=REPL, e.g. 'net\\.(\\d+)=layers.$1'")
            }
            pattern = String(text[..<eq]); replacement = String(text[text.index(after: eq)...])
            guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                throw OptionError.rejected(option: "--rename", value: text, reason: "\"\(pattern)\" is not a regular expression")
            }
        }
        func apply(_ name: String) -> String {
            let re = try! NSRegularExpression(pattern: pattern)
            return re.stringByReplacingMatches(in: name, range: NSRange(name.startIndex..., in: name), withTemplate: replacement)
        }
    }

    /// The mapping of `tensors` (name, shape) onto an MLP with layer `widths` (input … output), after `renames`.
    /// Throws `ModelFileError.weightNamesDoNotFit` listing the names found when no layout fits.
    public static func resolve(_ tensors: [(name: String, shape: [Int])], widths: [Int], renames: [Rename] = [],
                               path: String) throws -> WeightNameMapping {
        let layers = widths.count - 1
        var renamed: [(original: String, name: String, shape: [Int])] = tensors.map { ($0.name, $0.name, $0.shape) }
        for r in renames { for i in renamed.indices { renamed[i].name = r.apply(renamed[i].name) } }

        // Stacks: (prefix, suffix) → index → original names of .weight / .bias.
        struct Layer { var weight: (String, [Int])?; var bias: String? }
        var stacks: [String: (prefix: String, suffix: String, layers: [Int: Layer])] = [:]
        let re = try! NSRegularExpression(pattern: #"^(.*?)(\d+)\.(?:(.+)\.)?(weight|bias)$"#)
        for t in renamed {
            let ns = t.name as NSString
            guard let m = re.firstMatch(in: t.name, range: NSRange(location: 0, length: ns.length)) else { continue }
            func group(_ i: Int) -> String { m.range(at: i).location == NSNotFound ? "" : ns.substring(with: m.range(at: i)) }
            let prefix = group(1), suffix = group(3), kind = group(4)
            guard let index = Int(group(2)) else { continue }
            let key = prefix + "\u{0}" + suffix
            var stack = stacks[key] ?? (prefix, suffix, [:])
            var layer = stack.layers[index] ?? Layer()
            if kind == "weight" { layer.weight = (t.original, t.shape) } else { layer.bias = t.original }
            stack.layers[index] = layer
            stacks[key] = stack
        }
        var fits: [WeightNameMapping] = []
        for stack in stacks.values.sorted(by: { ($0.prefix, $0.suffix) < ($1.prefix, $1.suffix) }) {
            let linear = stack.layers.filter { $0.value.weight?.1.count == 2 }.sorted { $0.key < $1.key }
            guard linear.count == layers else { continue }
            let chains = linear.enumerated().allSatisfy { k, l in l.value.weight!.1 == [widths[k + 1], widths[k]] }
            guard chains else { continue }
            var names: [String: String] = [:]
            for (k, l) in linear.enumerated() {
                names[l.value.weight!.0] = "fc\(k + 1).weight"
                if let b = l.value.bias { names[b] = "fc\(k + 1).bias" }
            }
            let indices = linear.map { String($0.key) }.joined(separator: ", ")
            let tail = stack.suffix.isEmpty ? "" : ".\(stack.suffix)"
            let layout = stack.prefix.isEmpty && stack.suffix.isEmpty ? "nn.Sequential indices \(indices)"
                : stack.prefix == "fc" && linear.map(\.key) == Array(1...layers) && tail.isEmpty ? "fcN"
                : "\(stack.prefix)N\(tail) (N = \(indices))"
            fits.append(WeightNameMapping(modelNames: names, layout: renames.isEmpty ? layout : "\(layout) after --rename"))
        }
        if fits.count == 1 { return fits[0] }
        let found = renamed.map { t in
            (t.name == t.original ? t.name : "\(t.original)→\(t.name)") + " " + t.shape.map(String.init).joined(separator: "×")
        }
        throw ModelFileError.weightNamesDoNotFit(path: path, widths: widths, found: found, ambiguous: fits.map(\.layout))
    }
}
