import TendTensor

/// The weights of a model directory: one `model.safetensors`, or the shards that
/// `model.safetensors.index.json` lists (`weight_map`: tensor name → shard file). Files are mapped.
public final class SafetensorsShards: @unchecked Sendable {
    /// Each opened file (one per shard).
    public let files: [SafetensorsFile]
    private let fileOf: [String: Int]

    public init(directory: String) throws(HuggingFaceModelError) {
        let single = directory + "/model.safetensors", indexPath = directory + "/model.safetensors.index.json"
        if ModelDirectoryFiles.exists(single) {
            let file = try Self.open(single)
            files = [file]
            fileOf = Dictionary(file.names.map { ($0, 0) }, uniquingKeysWith: { a, _ in a })
        } else if ModelDirectoryFiles.exists(indexPath) {
            let json = try ModelDirectoryFiles.json(indexPath)
            guard case let .object(map)? = json["weight_map"] else {
                throw .invalidConfig(path: indexPath, reason: "no \"weight_map\" object")
            }
            var shardIndex: [String: Int] = [:], opened: [SafetensorsFile] = [], fileOf: [String: Int] = [:]
            for (tensor, value) in map {
                guard let shard = value.stringValue else { throw .invalidConfig(path: indexPath, reason: "weight_map[\"\(tensor)\"] is not a file name") }
                if shardIndex[shard] == nil {
                    shardIndex[shard] = opened.count
                    let path = directory + "/" + shard
                    guard ModelDirectoryFiles.exists(path) else { throw .unreadable(path: path, reason: "shard listed in \(indexPath) does not exist") }
                    opened.append(try Self.open(path))
                }
                fileOf[tensor] = shardIndex[shard]!
            }
            files = opened
            self.fileOf = fileOf
        } else {
            throw .noWeights(directory: directory)
        }
    }

    private static func open(_ path: String) throws(HuggingFaceModelError) -> SafetensorsFile {
        do { return try SafetensorsFile(path: path) }
        catch let error as SafetensorsError { throw .corruptWeights(error) }
        catch { throw .unreadable(path: path, reason: "\(error)") }
    }

    /// The file holding `name` and its entry, or nil.
    public func locate(_ name: String) -> (file: SafetensorsFile, info: SafetensorsTensorInfo)? {
        guard let i = fileOf[name], let info = try? files[i].info(name) else { return nil }
        return (files[i], info)
    }

    /// Bytes of all files (mapped, not read).
    public var mappedBytes: Int { files.reduce(0) { $0 + $1.fileSize } }
}
