import TendEngine
import TendTensor

/// A dynamic int8 file that cannot be written or does not fit the model it is loaded for; names the file and
/// the tensor or key at fault.
public struct DynamicInt8FileError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Reads and writes `DynamicInt8Archive` files (safetensors: int8 codes, scales and zero-points as named
/// tensors, the recipe in the metadata). Written atomically: the file appears whole or not at all.
public enum DynamicInt8File {
    /// Writes the int8 `layers` of `model` to `path`.
    public static func write(_ layers: [QuantizedLinear], of model: some DynamicInt8Quantizable, keepFP32: [String],
                             extraMetadata: [String: String] = [:], to path: String) throws {
        let entries = DynamicInt8Archive.records(of: layers).map { r -> SafetensorsEntry in
            switch r.payload {
            case .int8(let codes): SafetensorsEntry(name: r.name, dtype: .i8, shape: r.shape, bytes: codes.map { UInt8(bitPattern: $0) })
            case .float(let v): SafetensorsEntry(name: r.name, tensor: Tensor(shape: Shape(r.shape), storage: v))
            }
        }
        let meta = DynamicInt8Archive.metadata(model: model, layers: layers, keepFP32: keepFP32, extra: extraMetadata)
        do { try SafetensorsWriter.write(entries: entries, metadata: meta, to: path) }
        catch { throw DynamicInt8FileError(path: path, reason: "cannot write: \(error)") }
    }

    /// The int8 layers stored at `path`, checked against `model` (see `DynamicInt8Archive.layers`).
    public static func load(_ path: String, for model: some DynamicInt8Quantizable, kernel: Int8Kernel = .best) throws -> [QuantizedLinear] {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: path) } catch { throw DynamicInt8FileError(path: path, reason: "\(error)") }
        var records: [String: QuantizedTensorRecord] = [:]
        for info in file.tensorInfo {
            switch info.dtype {
            case .i8:
                records[info.name] = QuantizedTensorRecord(name: info.name, shape: info.shape,
                                                           payload: .int8(try file.bytes(info.name).map { Int8(bitPattern: $0) }))
            case .f32:
                records[info.name] = QuantizedTensorRecord(name: info.name, shape: info.shape, payload: .float(try file.floatTensor(info.name).storage))
            default:
                throw DynamicInt8FileError(path: path, reason: "tensor \"\(info.name)\" is \(info.dtype.rawValue); the int8 file holds only I8 and F32 tensors")
            }
        }
        do { return try DynamicInt8Archive.layers(records: records, metadata: file.metadata, for: model, kernel: kernel) }
        catch { throw DynamicInt8FileError(path: path, reason: error.description) }
    }
}
