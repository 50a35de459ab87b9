import Foundation
import TendUI

/// What the UI thread cost: per-frame render+draw times, bytes sent to the terminal, CPU time.
public struct FrameStats: Sendable {
    public init() {}
    public var frameNanos: [UInt64] = []
    /// CPU time of the UI thread per frame (the work itself, without time the trainer's threads took the core).
    public var frameCPUNanos: [UInt64] = []
    public var seconds = 0.0
    public var bytes: UInt64 = 0
    public var uiCPUSeconds = 0.0
    public var trainSamplesPerSecond = 0.0
    public var snapshotNanos: UInt64 = 0, renderNanos: UInt64 = 0, drawNanos: UInt64 = 0

    public struct Report: Codable, Sendable {
        public var width: Int, height: Int
        public var seconds: Double, frames: Int
        public var frame_p50_ms: Double, frame_p99_ms: Double, frame_max_ms: Double
        /// UI-thread CPU time per frame.
        public var frame_cpu_p50_ms: Double, frame_cpu_p99_ms: Double
        public var bytes: UInt64, bytes_per_second: Double
        public var ui_cpu_percent: Double
        public var train_samples_per_second: Double
        /// Mean milliseconds per frame in each stage: snapshot (+ chart splice), view into the buffer, ncurses.
        public var snapshot_ms: Double, render_ms: Double, draw_ms: Double
    }

    /// Adds one frame's timings (seconds) from the program loop.
    public mutating func add(_ t: FrameTiming) {
        frameNanos.append(UInt64(max(0, t.drawn - t.start) * 1e9))
        frameCPUNanos.append(UInt64(max(0, t.cpuSeconds) * 1e9))
        snapshotNanos += UInt64(max(0, t.polled - t.start) * 1e9)
        renderNanos += UInt64(max(0, t.rendered - t.polled) * 1e9)
        drawNanos += UInt64(max(0, t.drawn - t.rendered) * 1e9)
    }

    private func mean(_ total: UInt64) -> Double { frameNanos.isEmpty ? 0 : Double(total) / Double(frameNanos.count) / 1e6 }

    public func report(width: Int, height: Int) -> Report {
        let sorted = frameNanos.sorted(), cpuSorted = frameCPUNanos.sorted()
        func q(_ p: Double, _ v: [UInt64] = sorted) -> Double {
            guard !v.isEmpty else { return 0 }
            return Double(v[min(v.count - 1, Int(Double(v.count - 1) * p + 0.5))]) / 1e6
        }
        return Report(width: width, height: height, seconds: seconds, frames: sorted.count,
                      frame_p50_ms: q(0.5), frame_p99_ms: q(0.99), frame_max_ms: Double(sorted.last ?? 0) / 1e6,
                      frame_cpu_p50_ms: q(0.5, cpuSorted), frame_cpu_p99_ms: q(0.99, cpuSorted),
                      bytes: bytes, bytes_per_second: seconds > 0 ? Double(bytes) / seconds : 0,
                      ui_cpu_percent: seconds > 0 ? 100 * uiCPUSeconds / seconds : 0,
                      train_samples_per_second: trainSamplesPerSecond,
                      snapshot_ms: mean(snapshotNanos), render_ms: mean(renderNanos), draw_ms: mean(drawNanos))
    }

    public func write(to path: String, width: Int, height: Int) throws {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        try enc.encode(report(width: width, height: height)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
