/// The safetensors file a path stands for: the path itself when it is a file, or a model directory's
/// weights (`model.safetensors`, or the only shard its `model.safetensors.index.json` lists).
public enum ModelWeightsPath {
    /// The weights file of `path`. A sharded directory with several shards is an error listing them,
    /// since one screen shows one file: inspect a shard.
    public static func resolve(_ path: String) throws(HuggingFaceModelError) -> String {
        guard ModelDirectoryFiles.isDirectory(path) else { return path }
        let dir = path.hasSuffix("/") ? String(path.dropLast()) : path
        let single = dir + "/model.safetensors", indexPath = dir + "/model.safetensors.index.json"
        if ModelDirectoryFiles.exists(single) { return single }
        guard ModelDirectoryFiles.exists(indexPath) else { throw .noWeights(directory: dir) }
        guard case let .object(map)? = try ModelDirectoryFiles.json(indexPath)["weight_map"] else {
            throw .invalidConfig(path: indexPath, reason: "no \"weight_map\" object")
        }
        let shards = Set(map.compactMap { $0.value.stringValue }).sorted()
        guard shards.count == 1 else {
            throw .invalidConfig(path: indexPath, reason: "\(shards.count) shards; inspect one of them: "
                                 + shards.map { dir + "/" + $0 }.joined(separator: ", "))
        }
        return dir + "/" + shards[0]
    }
}
