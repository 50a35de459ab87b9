import Foundation

/// The checkpoints of a run directory, read from their safetensors metadata only.
public enum RunCheckpoints {
    /// One checkpoint file: its step (metadata `step`), the alerts active when written (metadata `alerts`,
    /// `severity:id` pairs; nil when the key is absent), and its modification time (Unix seconds).
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var step: Int?
        public var alerts: [String]?
        public var modified: Double
        /// True when no critical alert was active (a checkpoint without the `alerts` key counts as good:
        /// it was written by a run without rules).
        public var isGood: Bool { !(alerts ?? []).contains { $0.hasPrefix("critical:") } }
    }

    /// Every `*.safetensors` in `directory` but the optimizer-state siblings (`*.optimizer.safetensors`), oldest first (by step, then modification time).
    /// Unreadable files are skipped.
    public static func list(in directory: String) throws -> [Entry] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".safetensors") && !$0.hasSuffix(".optimizer.safetensors") }
        var out: [Entry] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let file = try? SafetensorsFile(path: path) else { continue }
            let meta = file.metadata
            let mtime = ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let alerts = meta["alerts"].map { $0.split(separator: ",").map(String.init) }
            out.append(Entry(path: path, step: meta["step"].flatMap { Int($0) }, alerts: alerts, modified: mtime))
        }
        return out.sorted { ($0.step ?? -1, $0.modified, $0.path) < ($1.step ?? -1, $1.modified, $1.path) }
    }

    /// The newest checkpoint in `directory` written while no critical alert was active; nil when none.
    public static func lastGood(in directory: String) throws -> Entry? {
        try list(in: directory).last { $0.isGood }
    }
}
