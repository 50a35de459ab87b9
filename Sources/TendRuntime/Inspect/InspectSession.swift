import Foundation
import Synchronization
import TendCore
import TendInterop
import TendMetrics

/// Owns an open safetensors file for the interactive `tend inspect`: the published `InspectSnapshot`, the
/// background statistics scan (its own thread; the scanner spreads chunks over `threads`) and background
/// writes of the candidate file. The UI thread only calls `snapshot()` and `write(_:)`.
public final class InspectSession: @unchecked Sendable {
    public let file: SafetensorsFile
    public let scanner: TensorStatsScanner
    private let state: Mutex<InspectSnapshot>
    private let cancelled = Atomic<Bool>(false)
    private let writing = Atomic<Bool>(false)
    private var threads: [Thread] = []

    public init(path: String, threads: Int) throws {
        let t0 = SystemClock().monotonic()
        let resolved = try ModelWeightsPath.resolve(path)
        let file = try SafetensorsFile(path: resolved)
        let headerMs = (SystemClock().monotonic() - t0) * 1000
        self.file = file
        scanner = TensorStatsScanner(threshold: 1e-3, threads: threads)
        let tensors = file.tensorInfo.map {
            InspectTensor(name: $0.name, dtype: $0.dtype.rawValue, shape: $0.shape, parameters: $0.elementCount,
                          elementBytes: $0.dtype.byteSize, isFloat: TensorStatsScanner.scans($0.dtype))
        }
        state = Mutex(InspectSnapshot(path: resolved, fileBytes: file.fileSize, headerMilliseconds: headerMs, tensors: tensors,
                                      scan: InspectScanProgress(totalBytes: TensorStatsScanner.scannedBytes(file))))
    }

    public func snapshot() -> InspectSnapshot { state.withLock { $0 } }

    public func log(_ line: String) {
        state.withLock { $0.events.append(line); $0.version &+= 1 }
    }

    /// Starts the statistics scan on a background thread.
    public func startScan() {
        let start = SystemClock().monotonic()
        let observer = ScanObserver(
            tensorDone: { [self] index, s in
                let stats = InspectTensorStats(mean: s.mean, std: s.std, min: s.min, max: s.max, absMax: s.absMax,
                                               sumSquares: s.sumSquares, zeros: s.zeros, nonFinite: s.nonFinite,
                                               int8SQNR: s.int8SQNR, int4SQNR: s.int4SQNR, fine: s.fineHistogram)
                state.withLock { $0.tensors[index].stats = stats; $0.version &+= 1 }
            },
            bytesDone: { [self] n in
                let now = SystemClock().monotonic()
                state.withLock { $0.scan.scannedBytes += n; $0.scan.seconds = now - start; $0.version &+= 1 }
            },
            isCancelled: { [self] in cancelled.load(ordering: .relaxed) })
        let thread = Thread { [self] in
            do {
                _ = try scanner.scan(file, observer: observer)
                let seconds = SystemClock().monotonic() - start
                state.withLock { s in
                    s.scan.seconds = seconds
                    s.scan.done = !cancelled.load(ordering: .relaxed)
                    s.version &+= 1
                }
            } catch {
                state.withLock { $0.scan.failure = "\(error)"; $0.version &+= 1 }
            }
        }
        thread.name = "tend-inspect-scan"
        thread.start()
        threads.append(thread)
    }

    /// Writes the candidate on a background thread; the outcome arrives as an event line, `describe` words a
    /// finished write. One write at a time.
    public func write(_ request: InspectWriteRequest,
                      describe: @escaping @Sendable (InspectWriteRequest, InspectWriteResult) -> String) {
        guard !writing.exchange(true, ordering: .acquiring) else {
            log("a write is already running"); return
        }
        log("writing " + (request.outputPath as NSString).lastPathComponent + "…")
        let thread = Thread { [self] in
            defer { writing.store(false, ordering: .releasing) }
            let t0 = SystemClock().monotonic()
            do {
                let s = try CompressedCopy.write(file, threshold: request.threshold.map { Float($0) },
                                                 quantizeInt8: request.quantizeInt8, to: request.outputPath)
                log(describe(request, InspectWriteResult(path: s.path, zeroed: s.zeroed, quantizedTensors: s.quantizedTensors,
                                                         bytes: s.bytes, seconds: SystemClock().monotonic() - t0)))
            } catch {
                log("error: \(error)")
            }
        }
        thread.name = "tend-inspect-write"
        thread.start()
    }

    /// Stops the scan (between chunks) and waits briefly for it.
    public func stop() {
        cancelled.store(true, ordering: .relaxed)
        let deadline = Date().addingTimeInterval(2)
        while threads.contains(where: { $0.isExecuting }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    }
}
