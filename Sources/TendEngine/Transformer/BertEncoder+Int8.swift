import TendTensor

extension BertEncoder {
    /// Keys of the linear layers inside an encoder layer, in forward order.
    static let linearKeys = ["attention.self.query", "attention.self.key", "attention.self.value",
                             "attention.output.dense", "intermediate.dense", "output.dense"]

    /// Every linear layer (6 per encoder layer) by name, `encoder.layer.N.attention.self.query` …, in forward order.
    public var linears: [(name: String, layer: Linear)] {
        layers.enumerated().flatMap { i, layer in
            let a = layer.attention, f = layer.feedForward
            return zip(Self.linearKeys, [a.query, a.key, a.value, a.output, f.intermediate, f.output]).map { ("encoder.layer.\(i).\($0)", $1) }
        }
    }

    /// The int8 forms now installed, in forward order (stacked query | key | value reported as its three parts).
    public var int8Linears: [QuantizedLinear] { linears.compactMap(\.layer.int8) }

    /// Runs the layers in `int8` (by `name`) on the dynamic int8 path and every other linear layer in fp32;
    /// an empty list restores fp32 everywhere. Query, key and value all on int8 with one kernel are stacked
    /// into one product. Returns the names of `int8` that are no linear layer of this encoder (nothing is
    /// changed then).
    @discardableResult
    public func installInt8(_ int8: [QuantizedLinear]) -> [String] {
        let byName = Dictionary(int8.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        let known = Set(linears.map(\.name))
        let unknown = byName.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else { return unknown }
        for i in layers.indices {
            func q(_ key: String) -> QuantizedLinear? { byName["encoder.layer.\(i).\(key)"] }
            layers[i].attention.query.int8 = q(Self.linearKeys[0])
            layers[i].attention.key.int8 = q(Self.linearKeys[1])
            layers[i].attention.value.int8 = q(Self.linearKeys[2])
            layers[i].attention.output.int8 = q(Self.linearKeys[3])
            layers[i].feedForward.intermediate.int8 = q(Self.linearKeys[4])
            layers[i].feedForward.output.int8 = q(Self.linearKeys[5])
            let a = layers[i].attention
            if let qq = a.query.int8, let k = a.key.int8, let v = a.value.int8, qq.kernel == k.kernel, k.kernel == v.kernel {
                layers[i].attention.qkvInt8 = QuantizedLinear(stacking: [qq, k, v], name: "encoder.layer.\(i).attention.self.qkv")
            } else {
                layers[i].attention.qkvInt8 = nil
            }
        }
        return []
    }

    /// Sets the CInt8 variant of every installed int8 layer.
    public func setInt8Kernel(_ kernel: Int8Kernel) {
        installInt8(int8Linears.map { var l = $0; l.kernel = kernel; return l })
    }

    /// Calls `probe` before every int8 product of this encoder's forward passes (nil removes it); see `Int8Scratch.probe`.
    public func setInt8Probe(_ probe: ((QuantizedLinear, Int, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int) -> Bool)?) {
        workspace.int8.probe = probe
    }
}
