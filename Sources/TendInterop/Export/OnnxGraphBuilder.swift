/// Builds an `OnnxGraph` node by node: each helper adds one node (or a few, for composite functions such
/// as GELU) and returns the name of its output, so graphs read like the forward pass they encode.
/// Names are unique: `prefix` plus a counter where needed.
public struct OnnxGraphBuilder {
    public private(set) var graph: OnnxGraph
    private var counter = 0

    public init(name: String) { graph = OnnxGraph(name: name) }

    private mutating func fresh(_ hint: String) -> String { counter += 1; return "\(hint)_\(counter)" }

    /// Adds `op` on `inputs`; returns its one output (named `output`, else a fresh name from `op`).
    @discardableResult
    public mutating func node(_ op: String, _ inputs: [String], _ attributes: [OnnxAttribute] = [], output: String? = nil) -> String {
        let out = output ?? fresh(op.lowercased())
        graph.nodes.append(OnnxNode(op, inputs: inputs, outputs: [out], name: fresh("n_" + op), attributes: attributes))
        return out
    }

    /// A float initializer (`dims` row-major); returns its name.
    @discardableResult
    public mutating func constant(_ name: String, dims: [Int], _ values: [Float]) -> String {
        graph.initializers.append(OnnxTensor(name: name, dims: dims, floats: values)); return name
    }

    /// An int64 initializer (shapes, axes, indices); returns its name.
    @discardableResult
    public mutating func constant(_ name: String, dims: [Int], int64 values: [Int64]) -> String {
        graph.initializers.append(OnnxTensor(name: name, dims: dims, int64s: values)); return name
    }

    /// A float scalar initializer with a fresh name.
    public mutating func scalar(_ v: Float, _ hint: String = "c") -> String { constant(fresh(hint), dims: [], [v]) }

    public mutating func input(_ name: String, _ type: OnnxDataType, _ dims: [OnnxValueInfo.Dim]) {
        graph.inputs.append(OnnxValueInfo(name: name, elementType: type, dims: dims))
    }

    public mutating func output(_ name: String, _ type: OnnxDataType, _ dims: [OnnxValueInfo.Dim]) {
        graph.outputs.append(OnnxValueInfo(name: name, elementType: type, dims: dims))
    }

    public mutating func add(_ a: String, _ b: String, output: String? = nil) -> String { node("Add", [a, b], output: output) }
    public mutating func mul(_ a: String, _ b: String) -> String { node("Mul", [a, b]) }

    /// Exact GELU, `½x(1 + erf(x/√2))` (opset 17 has no Gelu op).
    public mutating func geluErf(_ x: String) -> String {
        let e = node("Erf", [node("Div", [x, scalar(Float(2).squareRoot(), "sqrt2")])])
        return mul(mul(x, scalar(0.5, "half")), add(e, scalar(1, "one")))
    }

    /// Tanh-approximated GELU, `½x(1 + tanh(√(2/π)(x + 0.044715x³)))` (Tend's MLP `gelu`, HF `gelu_new`).
    public mutating func geluTanh(_ x: String) -> String {
        let cube = mul(mul(x, x), x)
        let inner = mul(add(x, mul(cube, scalar(0.044715, "k"))), scalar(0.797_884_560_802_865_4, "sqrt2_pi"))
        return mul(mul(x, scalar(0.5, "half")), add(node("Tanh", [inner]), scalar(1, "one")))
    }

    /// `LayerNormalization` over the last axis with `gamma`, `beta` initializers named by the caller.
    public mutating func layerNorm(_ x: String, gamma: String, beta: String, epsilon: Float) -> String {
        node("LayerNormalization", [x, gamma, beta], [OnnxAttribute("axis", .int(-1)), OnnxAttribute("epsilon", .float(epsilon))])
    }

    public mutating func setDoc(_ doc: String) { graph.doc = doc }
}
