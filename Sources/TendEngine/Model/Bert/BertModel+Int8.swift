import TendTensor

/// The encoder's 6 linear layers per encoder layer, by Hugging Face name, for dynamic int8 quantization.
extension BertModel: DynamicInt8Quantizable {
    public var dynamicLinears: [NamedLinearWeights] {
        applyParameterChanges()
        return encoder.linears.map { name, l in
            NamedLinearWeights(name: name, outputs: l.outputs, inputs: l.inputs, bias: l.bias.storage, weight: { l.weightStorage.tensor })
        }
    }

    public var installedInt8: [QuantizedLinear] { encoder.int8Linears }

    @discardableResult
    public func installInt8(_ layers: [QuantizedLinear]) -> [String] {
        applyParameterChanges()
        return encoder.installInt8(layers)
    }

    public func setInt8Probe(_ probe: ((QuantizedLinear, Int, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int) -> Bool)?) {
        encoder.setInt8Probe(probe)
    }
}
