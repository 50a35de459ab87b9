import TendTensor

/// How many hidden units to remove from each hidden layer.
public enum NeuronAmount: Sendable, Equatable {
    /// This many units per hidden layer (at least one unit is always kept).
    case neurons(Int)
    /// ⌊f·width⌋ units per hidden layer, f in 0...1 (at least one unit is always kept).
    case fraction(Double)

    func count(of width: Int) -> Int {
        let n: Int
        switch self {
        case .neurons(let k): n = k
        case .fraction(let f): n = MagnitudeSelection.pruneCount(sparsity: f, of: width)
        }
        return max(0, min(n, width - 1))
    }
}

/// The result of removing hidden units: a new, smaller model and what was removed.
public struct StructuredPruningResult {
    public var model: MLP
    /// For each hidden layer (fc1 … fcN−1), the removed unit indices of the original layer, ascending.
    public var removed: [[Int]]
    /// Removed units whose incoming weights were all 0: their constant output act(bias) was folded
    /// into the next layer's bias (exact without LayerNorm).
    public var folded: Int
}

/// Structured pruning of the MLP family: removes whole hidden units, producing a genuinely smaller MLP.
/// (Part of the family: another family brings its own, e.g. attention-head pruning.)
public enum StructuredPruning {
    /// Removes, in each hidden layer K in order, the units whose incoming weight rows (rows of fcK.weight)
    /// have the smallest L2 norms (ties: lower index first), together with their fcK.bias entry, their
    /// lnK.weight/lnK.bias entries, and their column of fc(K+1).weight. Layer K+1's norms are measured
    /// after its columns were removed. Units with an all-zero incoming row contribute the constant
    /// act(bias) to the next layer; without LayerNorm that constant is folded into fc(K+1).bias so the
    /// outputs do not change (with LayerNorm removing any unit changes the normalisation).
    /// Masks are carried over (sliced). The original model is not changed.
    public static func removeNeurons(from model: MLP, amount: NeuronAmount) -> StructuredPruningResult {
        let layout = model.layout
        let denseCount = layout.sizes.count - 1
        var weights = model.denseLayers.map { $0.weight.value }
        var biases = model.denseLayers.map { $0.bias.value }
        var weightMasks = model.denseLayers.map { $0.weight.mask }
        var biasMasks = model.denseLayers.map { $0.bias.mask }
        let norms = model.layers.compactMap { $0 as? LayerNorm }
        let lnParams: [[Parameter]] = norms.map { [$0.gamma, $0.beta] }
        var lnValues = lnParams.map { $0.map(\.value) }
        var lnMasks = lnParams.map { $0.map(\.mask) }
        var sizes = layout.sizes
        var removedAll: [[Int]] = []
        var folded = 0
        let activation = MLP.activationLayer(layout.activation)

        for k in 0..<(denseCount - 1) {
            let w = weights[k]
            let rows = w.rows, cols = w.cols
            let drop = amount.count(of: rows)
            // Rank rows by squared L2 norm, then index.
            let squaredNorms: [Float] = (0..<rows).map { r in
                w.withUnsafeBufferPointer { p in
                    var s: Float = 0
                    for j in 0..<cols { let v = p[r * cols + j]; s += v * v }
                    return s
                }
            }
            var order = squaredNorms.enumerated().map { ($1, $0) }
            order.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            let removed = order.prefix(drop).map(\.1).sorted()
            let removedSet = Set(removed)
            let kept = (0..<rows).filter { !removedSet.contains($0) }
            removedAll.append(removed)
            if !layout.layerNorm {
                // Fold constant units into the next bias.
                for r in removed where squaredNorms[r] == 0 {
                    let b = biases[k].storage[r]
                    let c = activation.forward(Tensor(shape: [1, 1], storage: [b]), training: false).storage[0]
                    folded += 1
                    guard c != 0 else { continue }
                    let next = weights[k + 1]
                    for o in 0..<next.rows { biases[k + 1].storage[o] += next[o, r] * c }
                }
            }
            weights[k] = selectRows(w, kept)
            weightMasks[k] = weightMasks[k].map { selectRows($0, kept) }
            biases[k] = selectEntries(biases[k], kept)
            biasMasks[k] = biasMasks[k].map { selectEntries($0, kept) }
            weights[k + 1] = selectColumns(weights[k + 1], kept)
            weightMasks[k + 1] = weightMasks[k + 1].map { selectColumns($0, kept) }
            if layout.layerNorm {
                lnValues[k] = lnValues[k].map { selectEntries($0, kept) }
                lnMasks[k] = lnMasks[k].map { $0.map { selectEntries($0, kept) } }
            }
            sizes[k + 1] = kept.count
        }
        var newLayout = layout
        newLayout.sizes = sizes
        let out = MLP(valid: newLayout, seed: model.seed, randomWeights: true)
        var tensors: [String: Tensor] = [:]
        var masks: [String: Tensor] = [:]
        for k in 0..<denseCount {
            tensors["fc\(k + 1).weight"] = weights[k]; tensors["fc\(k + 1).bias"] = biases[k]
            masks["fc\(k + 1).weight"] = weightMasks[k]; masks["fc\(k + 1).bias"] = biasMasks[k]
        }
        for (k, params) in lnParams.enumerated() {
            for (i, p) in params.enumerated() { tensors[p.name] = lnValues[k][i]; masks[p.name] = lnMasks[k][i] }
        }
        do { try out.load(tensors) } catch { preconditionFailure("structured pruning built inconsistent tensors: \(error)") }
        for p in out.parameters { p.mask = masks[p.name] ?? nil }
        return StructuredPruningResult(model: out, removed: removedAll, folded: folded)
    }

    static func selectRows(_ t: Tensor, _ rows: [Int]) -> Tensor {
        let c = t.cols
        var out = [Float](); out.reserveCapacity(rows.count * c)
        t.withUnsafeBufferPointer { p in for r in rows { out.append(contentsOf: p[(r * c)..<((r + 1) * c)]) } }
        return Tensor(shape: [rows.count, c], storage: out)
    }

    static func selectColumns(_ t: Tensor, _ cols: [Int]) -> Tensor {
        let r = t.rows, c = t.cols
        var out = [Float](); out.reserveCapacity(r * cols.count)
        t.withUnsafeBufferPointer { p in for i in 0..<r { for j in cols { out.append(p[i * c + j]) } } }
        return Tensor(shape: [r, cols.count], storage: out)
    }

    static func selectEntries(_ t: Tensor, _ idx: [Int]) -> Tensor {
        Tensor(shape: [idx.count], storage: idx.map { t.storage[$0] })
    }
}

extension StructuredPruning {
    /// `removeNeurons(from:amount:)` for a model of any family: MLPs lose hidden units; other families
    /// throw `ArchitectureError` until they bring a structured pruning of their own.
    public static func removeNeurons(from model: any Model, amount: NeuronAmount) throws -> (model: any Model, removed: [[Int]]) {
        guard let mlp = model as? MLP else {
            throw ArchitectureError("structured pruning removes hidden units of an mlp; this model is a \(model.architecture.family)")
        }
        let r = removeNeurons(from: mlp, amount: amount)
        return (r.model, r.removed)
    }
}
