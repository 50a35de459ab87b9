import TendEngine
import TendTensor

/// What was written for one tensor by `SparseSafetensors.write`.
public struct SparseTensorStat: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var scheme: SparseScheme
    public var nonZeros: Int
    /// 4 bytes per element.
    public var denseBytes: Int
    /// Bytes of its components in the file (header excluded).
    public var storedBytes: Int
}

/// Safetensors files whose tensors may be stored sparse (see `SparseScheme`). Any safetensors
/// reader sees the components as ordinary tensors; `denseTensors` rebuilds the originals exactly.
public enum SparseSafetensors {
    public static let metadataPrefix = "tend.sparse."

    /// Writes `tensors`, each in its cheapest scheme when `sparse(name)` allows it (dense otherwise),
    /// with `metadata` plus one `tend.sparse.<name>` entry per sparse tensor. Atomic, like `SafetensorsWriter`.
    @discardableResult
    public static func write(tensors: [(String, Tensor)], metadata: [String: String] = [:], to path: String,
                             sparse: (String) -> Bool = { _ in true }) throws -> [SparseTensorStat] {
        var entries: [SafetensorsEntry] = []
        var meta = metadata
        var stats: [SparseTensorStat] = []
        for (name, t) in tensors {
            let enc = SparseTensorCodec.encode(name: name, tensor: t, scheme: sparse(name) ? nil : .dense)
            entries.append(contentsOf: enc.entries)
            if enc.scheme != .dense {
                meta[metadataPrefix + name] = SparseTensorCodec.describe(scheme: enc.scheme, shape: t.shape.dims, nonZeros: enc.nonZeros)
            }
            stats.append(SparseTensorStat(name: name, shape: t.shape.dims, scheme: enc.scheme, nonZeros: enc.nonZeros, denseBytes: 4 * t.count,
                                          storedBytes: SparseStorageScheme.bytes(enc.scheme, shape: t.shape.dims, nonZeros: enc.nonZeros)))
        }
        try SafetensorsWriter.write(entries: entries, metadata: meta, to: path)
        return stats
    }

    /// The sparse tensors described in `file`'s metadata: name → (scheme, shape).
    public static func descriptions(in file: SafetensorsFile) throws -> [String: (scheme: SparseScheme, shape: [Int])] {
        var out: [String: (SparseScheme, [Int])] = [:]
        for (key, value) in file.metadata where key.hasPrefix(metadataPrefix) {
            let name = String(key.dropFirst(metadataPrefix.count))
            func bad(_ reason: String) -> SparseSafetensorsError { .badDescription(path: file.path, tensor: name, value: value, reason: reason) }
            let json: JSONValue
            do { json = try JSONParser().parse(value) } catch { throw bad("not JSON: \(error)") }
            guard let schemeText = json["scheme"]?.stringValue else { throw bad("no \"scheme\" string") }
            guard let scheme = SparseScheme(rawValue: schemeText) else {
                throw bad("unknown scheme \"\(schemeText)\" (known: \(SparseScheme.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard case let .array(dims)? = json["shape"], let shape = Optional(dims.compactMap(\.intValue)),
                  shape.count == dims.count, shape.allSatisfy({ $0 >= 0 }) else { throw bad("\"shape\" must be an array of non-negative integers") }
            // Files written before the layout was recorded are lsb0/row-major/version 1; anything else is refused
            // rather than decoded into wrong weights.
            if let order = json["bit_order"]?.stringValue, order != SparseTensorCodec.bitOrder {
                throw bad("bit_order \"\(order)\" is not supported (Tend writes and reads \"\(SparseTensorCodec.bitOrder)\")")
            }
            if let layout = json["layout"]?.stringValue, layout != SparseTensorCodec.layout {
                throw bad("layout \"\(layout)\" is not supported (Tend writes and reads \"\(SparseTensorCodec.layout)\")")
            }
            if let version = json["version"]?.intValue, version > SparseTensorCodec.version {
                throw bad("scheme version \(version) is newer than this Tend reads (\(SparseTensorCodec.version))")
            }
            out[name] = (scheme, shape)
        }
        return out
    }

    /// Every tensor of `file` as Float, sparse ones rebuilt dense under their own names (their
    /// components omitted), in header order of each tensor's first component.
    public static func denseTensors(_ file: SafetensorsFile) throws -> [(String, Tensor)] {
        let sparse = try descriptions(in: file)
        var componentOwner: [String: String] = [:]
        for (name, d) in sparse {
            for c in SparseTensorCodec.componentNames(name, scheme: d.scheme) { componentOwner[c] = name }
        }
        var out: [(String, Tensor)] = []
        var done = Set<String>()
        for info in file.tensorInfo {
            if let owner = componentOwner[info.name] {
                guard done.insert(owner).inserted else { continue }
                let d = sparse[owner]!
                out.append((owner, try SparseTensorCodec.decode(name: owner, scheme: d.scheme, shape: d.shape, from: file)))
            } else {
                out.append((info.name, try file.floatTensor(info.name)))
            }
        }
        for name in sparse.keys where !done.contains(name) {
            throw SparseSafetensorsError.inconsistent(path: file.path, tensor: name, reason: "described in metadata but its components are missing")
        }
        return out
    }

    /// Whether `file` holds any sparse tensor.
    public static func isSparse(_ file: SafetensorsFile) -> Bool { file.metadata.keys.contains { $0.hasPrefix(metadataPrefix) } }
}
