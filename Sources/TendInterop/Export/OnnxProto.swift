/// The subset of `onnx.proto` (ONNX IR 8) Tend writes: a model of one graph with float/int64 initializers,
/// nodes of the default domain and typed inputs/outputs. Plain values; `OnnxModel.encoded()` gives the
/// protobuf bytes (field numbers as in onnx/onnx.proto; repeated scalars unpacked, as proto2 writes them).
public enum OnnxDataType: Int64, Sendable {
    case float = 1, int64 = 7
}

/// A `TensorProto` initializer: little-endian values in `raw_data` (field 9).
public struct OnnxTensor: Sendable, Equatable {
    public var name: String
    public var dims: [Int]
    public var dataType: OnnxDataType
    public var raw: [UInt8]

    public init(name: String, dims: [Int], floats: [Float]) {
        precondition(dims.reduce(1, *) == floats.count, "OnnxTensor \(name): \(floats.count) values for dims \(dims)")
        self.name = name; self.dims = dims; dataType = .float
        raw = floats.withUnsafeBytes { Array($0) }  // x86-64 and arm64 are little-endian, as raw_data requires
    }

    public init(name: String, dims: [Int], int64s: [Int64]) {
        precondition(dims.reduce(1, *) == int64s.count, "OnnxTensor \(name): \(int64s.count) values for dims \(dims)")
        self.name = name; self.dims = dims; dataType = .int64
        raw = int64s.withUnsafeBytes { Array($0) }
    }

    func encode(_ w: inout ProtoWriter) {
        for d in dims { w.int64(1, Int64(d)) }       // dims
        w.int64(2, dataType.rawValue)                  // data_type
        w.string(8, name)                              // name
        w.bytesField(9, raw)                           // raw_data
    }
}

/// An `AttributeProto` (name 1, type 20; f 2, i 3, s 4, floats 7, ints 8).
public struct OnnxAttribute: Sendable, Equatable {
    public enum Value: Sendable, Equatable { case float(Float), int(Int64), string(String), ints([Int64]) }
    public var name: String
    public var value: Value
    public init(_ name: String, _ value: Value) { self.name = name; self.value = value }

    func encode(_ w: inout ProtoWriter) {
        w.string(1, name)
        switch value {
        case .float(let f): w.float(2, f); w.int64(20, 1)
        case .int(let i): w.int64(3, i); w.int64(20, 2)
        case .string(let s): w.string(4, s); w.int64(20, 3)
        case .ints(let v): for i in v { w.int64(8, i) }; w.int64(20, 7)
        }
    }
}

/// A `NodeProto`: input 1, output 2, name 3, op_type 4, attribute 5 (default domain "").
public struct OnnxNode: Sendable, Equatable {
    public var op: String
    public var inputs: [String]
    public var outputs: [String]
    public var name: String
    public var attributes: [OnnxAttribute]
    public init(_ op: String, inputs: [String], outputs: [String], name: String, attributes: [OnnxAttribute] = []) {
        self.op = op; self.inputs = inputs; self.outputs = outputs; self.name = name; self.attributes = attributes
    }

    func encode(_ w: inout ProtoWriter) {
        for i in inputs { w.string(1, i) }
        for o in outputs { w.string(2, o) }
        w.string(3, name)
        w.string(4, op)
        for a in attributes { w.message(5) { a.encode(&$0) } }
    }
}

/// A graph input or output (`ValueInfoProto`): a tensor type with fixed (`.value`) or symbolic (`.name`) dims.
public struct OnnxValueInfo: Sendable, Equatable {
    public enum Dim: Sendable, Equatable { case value(Int), name(String) }
    public var name: String
    public var elementType: OnnxDataType
    public var dims: [Dim]
    public init(name: String, elementType: OnnxDataType, dims: [Dim]) {
        self.name = name; self.elementType = elementType; self.dims = dims
    }

    func encode(_ w: inout ProtoWriter) {
        w.string(1, name)
        w.message(2) { type in                         // TypeProto
            type.message(1) { tensor in                // TypeProto.Tensor
                tensor.int64(1, elementType.rawValue)  // elem_type
                tensor.message(2) { shape in           // TensorShapeProto
                    for d in dims {
                        shape.message(1) { dim in
                            switch d {
                            case .value(let v): dim.int64(1, Int64(v))
                            case .name(let s): dim.string(2, s)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A `GraphProto`: node 1, name 2, initializer 5, doc_string 10, input 11, output 12.
public struct OnnxGraph: Sendable {
    public var name: String
    public var nodes: [OnnxNode] = []
    public var initializers: [OnnxTensor] = []
    public var inputs: [OnnxValueInfo] = []
    public var outputs: [OnnxValueInfo] = []
    public var doc = ""
    public init(name: String) { self.name = name }

    func encode(_ w: inout ProtoWriter) {
        for n in nodes { w.message(1) { n.encode(&$0) } }
        w.string(2, name)
        for t in initializers { w.message(5) { t.encode(&$0) } }
        if !doc.isEmpty { w.string(10, doc) }
        for i in inputs { w.message(11) { i.encode(&$0) } }
        for o in outputs { w.message(12) { o.encode(&$0) } }
    }
}

/// A `ModelProto`: ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7, opset_import 8
/// (`OperatorSetIdProto`: domain 1, version 2), metadata_props 14 (`StringStringEntryProto`: key 1, value 2).
public struct OnnxModel: Sendable {
    /// IR version 8 goes with opset 17 (ONNX 1.12).
    public static let irVersion: Int64 = 8
    public static let opset: Int64 = 17
    public var graph: OnnxGraph
    public var producerVersion: String
    public var doc: String
    public var metadata: [(String, String)]
    public init(graph: OnnxGraph, producerVersion: String = "0.1.0", doc: String = "", metadata: [(String, String)] = []) {
        self.graph = graph; self.producerVersion = producerVersion; self.doc = doc; self.metadata = metadata
    }

    /// The serialized `ModelProto`.
    public func encoded() -> [UInt8] {
        var w = ProtoWriter()
        w.int64(1, Self.irVersion)
        w.string(2, "tend")
        w.string(3, producerVersion)
        if !doc.isEmpty { w.string(6, doc) }
        w.message(7) { graph.encode(&$0) }
        w.message(8) { $0.string(1, ""); $0.int64(2, Self.opset) }
        for (k, v) in metadata { w.message(14) { $0.string(1, k); $0.string(2, v) } }
        return w.bytes
    }
}
