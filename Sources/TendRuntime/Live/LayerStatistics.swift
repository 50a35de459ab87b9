import TendEngine
import TendMetrics

/// The layers panel's rows from the engine's `PruningSummary` (the one place sparsity and stored bytes are
/// computed): parameters grouped by layer (the name before the first "."), shape of the layer's first tensor.
public enum LayerStatistics {
    /// `precision` gives a layer's bits per weight and weight SQNR (int8 serving); fp32 when nil.
    public static func rows(_ summary: PruningSummary,
                            precision: (String) -> (bits: Double, sqnrDB: Double?)? = { _ in nil }) -> [LayerStat] {
        var rows: [LayerStat] = []
        var zeros: [Int] = []
        for p in summary.parameters {
            let layer = String(p.name.split(separator: ".").first ?? Substring(p.name))
            if let last = rows.last, last.name == layer {
                rows[rows.count - 1].parameters += p.count
                zeros[zeros.count - 1] += p.zeros
            } else {
                let q = precision(layer)
                rows.append(LayerStat(name: layer, shape: p.shape, parameters: p.count, bitsPerWeight: q?.bits ?? 32, sqnrDB: q?.sqnrDB))
                zeros.append(p.zeros)
            }
        }
        for i in rows.indices { rows[i].sparsity = Double(zeros[i]) / Double(max(rows[i].parameters, 1)) }
        return rows
    }

    /// One row per `groups` entry (a model's `layerGroups`: the MLP's `fc1`, `ln1`, …; the encoder's embedding
    /// tables and 36 linear layers), with the sparsity of the group's parameters in `summary` and the group's shape.
    public static func rows(_ summary: PruningSummary, groups: [LayerGroup],
                            precision: (String) -> (bits: Double, sqnrDB: Double?)? = { _ in nil }) -> [LayerStat] {
        let byName = Dictionary(summary.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return groups.map { g in
            let ps = g.parameterNames.compactMap { byName[$0] }
            let count = ps.reduce(0) { $0 + $1.count }, zeros = ps.reduce(0) { $0 + $1.zeros }
            let q = precision(g.name)
            return LayerStat(name: g.name, shape: g.shape, parameters: count, sparsity: Double(zeros) / Double(max(count, 1)),
                             bitsPerWeight: q?.bits ?? 32, sqnrDB: q?.sqnrDB)
        }
    }

    /// The layers panel's rows of `model`: `rows(PruningSummary(model:), groups: model.layerGroups, precision:)`.
    public static func rows(model: any Model, precision: (String) -> (bits: Double, sqnrDB: Double?)? = { _ in nil }) -> [LayerStat] {
        rows(PruningSummary(model: model), groups: model.layerGroups, precision: precision)
    }
}
