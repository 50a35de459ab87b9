import Foundation
import TendCore

/// Writes a TensorBoard logdir of made-up but plausible training runs (for `tend sample logdir`, the
/// watch benchmark and tests): one directory per run, one event file each, one event per step holding
/// every tag. Tags are `train/loss`, `val/loss`, `train/accuracy`, `val/accuracy`, `train/lr`, then
/// `metrics/metric_K`. Loss decays exponentially to a floor with Gaussian noise; each run has its own
/// rate, floor and noise (deterministic for the seed).
public enum SyntheticLogdir {
    public struct Options: Sendable {
        public var runs = 8
        public var tags = 6
        public var steps = 500
        public var seed: UInt64 = 1
        /// Run directory names: `<prefix>NNNN`.
        public var prefix = "run"
        /// The last `nanRuns` runs turn `train/loss` to NaN for their last tenth of steps.
        public var nanRuns = 0
        /// Flip a byte of one record's data in the first run's file (a bad data CRC: that record is skipped).
        public var corrupt = false
        public var wallTime = 1_700_000_000.0
        public init() {}
    }

    /// The tag names for `count` tags.
    public static func tagNames(_ count: Int) -> [String] {
        let named = ["train/loss", "val/loss", "train/accuracy", "val/accuracy", "train/lr"]
        return (0..<max(0, count)).map { $0 < named.count ? named[$0] : "metrics/metric_\($0 - named.count)" }
    }

    /// The bytes of run `index`'s event file.
    public static func eventFile(run index: Int, _ o: Options) -> [UInt8] {
        var rng = SeededGenerator(seed: o.seed &* 1_000_003 &+ UInt64(index))
        let names = tagNames(o.tags)
        let rate = 0.002 + 0.01 * Double(rng.nextUniform())
        let floor = 0.05 + 0.3 * Double(rng.nextUniform())
        let noise = 0.01 + 0.05 * Double(rng.nextUniform())
        let nanFrom = index >= o.runs - o.nanRuns ? o.steps - max(1, o.steps / 10) : Int.max
        var out = TFRecord.frame(EventEncoder.fileVersion(wallTime: o.wallTime))
        out.reserveCapacity(o.steps * (24 + 20 * names.count))
        for step in 0..<o.steps {
            let s = Double(step)
            let loss = floor + 2.3 * exp(-rate * s)
            var values: [(String, EventEncoder.EncodedValue)] = []
            values.reserveCapacity(names.count)
            for (k, name) in names.enumerated() {
                let v: Double
                switch k {
                case 0: v = step >= nanFrom ? .nan : loss * (1 + noise * Double(rng.nextGaussian()))
                case 1: v = loss * 1.08 + 0.0001 * s * floor + noise * 0.5 * Double(rng.nextGaussian()) * loss
                case 2: v = min(1, 1 - loss / 2.5 + 0.01 * Double(rng.nextGaussian()))
                case 3: v = min(1, 1 - loss / 2.3 + 0.01 * Double(rng.nextGaussian()))
                case 4: v = 1e-3 * pow(0.5, Double(step / max(1, o.steps / 4)))
                default: v = sin(s / 50 + Double(k)) + 0.1 * Double(rng.nextGaussian())
                }
                values.append((name, .scalar(Float(v))))
            }
            let record = EventEncoder.summary(wallTime: o.wallTime + s, step: Int64(step), values: values)
            let start = out.count
            TFRecord.append(record, to: &out)
            if o.corrupt && index == 0 && step == o.steps / 2 { out[start + 12 + record.count / 2] ^= 0xFF }
        }
        return out
    }

    /// Writes runs `0..<o.runs` under `root` (created). Returns the bytes written.
    @discardableResult
    public static func write(root: String, _ o: Options, progress: ((Int) -> Void)? = nil) throws -> Int {
        var total = 0
        for run in 0..<o.runs {
            let dir = (root as NSString).appendingPathComponent(String(format: "%@%04d", o.prefix, run))
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let bytes = eventFile(run: run, o)
            total += bytes.count
            let path = dir + "/events.out.tfevents.\(Int(o.wallTime)).tend-sample"
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot write \(path)"])
            }
            progress?(run)
        }
        return total
    }
}
