import TendTensor

/// One linear layer as dynamic int8 quantization sees it: its name, sizes, fp32 weight (materialised on
/// demand: a copy) and bias.
public struct NamedLinearWeights {
    public var name: String
    public var outputs: Int, inputs: Int
    public var bias: [Float]
    public var weight: () -> Tensor
    public init(name: String, outputs: Int, inputs: Int, bias: [Float], weight: @escaping () -> Tensor) {
        self.name = name; self.outputs = outputs; self.inputs = inputs; self.bias = bias; self.weight = weight
    }
}

/// A model whose linear layers run on dynamic int8 kernels, reached by name whatever they are built from
/// (the encoder's `Linear` values, not `Dense` layers): the one surface `DynamicQuantization`, the error table,
/// the int8 file and the benches use, so none of them asks which family the model is.
public protocol DynamicInt8Quantizable: Model {
    /// Every linear layer in forward order.
    var dynamicLinears: [NamedLinearWeights] { get }
    /// The int8 layers now installed, in forward order.
    var installedInt8: [QuantizedLinear] { get }
    /// Runs `layers` (by name) on int8 and every other linear layer in fp32 (empty: all fp32). Returns the
    /// names in `layers` that are no linear layer of the model; nothing changes then.
    @discardableResult func installInt8(_ layers: [QuantizedLinear]) -> [String]
    /// Called before every int8 product of later forwards (see `Int8Scratch.probe`); nil removes it.
    func setInt8Probe(_ probe: ((QuantizedLinear, Int, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int) -> Bool)?)
}
