/// What `tend inspect` knows about a safetensors file at one moment: the header's tensors (from the start),
/// statistics filled in by the background scan, scan progress and event lines. Published by TendRuntime's `InspectSession`,
/// copied once per frame; the view reads only this and `InspectState`.
public struct InspectSnapshot: Sendable, Equatable {
    public var path: String
    public var fileBytes: Int
    public var headerMilliseconds: Double
    /// In header order.
    public var tensors: [InspectTensor]
    public var scan: InspectScanProgress
    /// Newest last.
    public var events: [String]
    /// Bumped on every change (the loop redraws when it moves).
    public var version: UInt64

    public init(path: String, fileBytes: Int, headerMilliseconds: Double, tensors: [InspectTensor],
                scan: InspectScanProgress, events: [String] = [], version: UInt64 = 0) {
        self.path = path; self.fileBytes = fileBytes; self.headerMilliseconds = headerMilliseconds
        self.tensors = tensors; self.scan = scan; self.events = events; self.version = version
    }
}

/// One tensor of the file. `stats` is nil until the scan reaches it, and always for integer/bool tensors
/// (`isFloat` false: they are listed, never pruned or quantized).
public struct InspectTensor: Sendable, Equatable {
    public var name: String
    public var dtype: String
    public var shape: [Int]
    public var parameters: Int
    public var elementBytes: Int
    public var isFloat: Bool
    public var stats: InspectTensorStats?

    public init(name: String, dtype: String, shape: [Int], parameters: Int, elementBytes: Int, isFloat: Bool,
                stats: InspectTensorStats? = nil) {
        self.name = name; self.dtype = dtype; self.shape = shape; self.parameters = parameters
        self.elementBytes = elementBytes; self.isFloat = isFloat; self.stats = stats
    }

    public var bytes: Int { parameters * elementBytes }
    /// Channels (dimension 0 for rank ≥ 2, else 1) and their length, as quantization sees them.
    public var rows: Int { parameters == 0 ? 0 : (shape.count >= 2 ? max(shape[0], 1) : 1) }
    public var rowLength: Int { rows == 0 ? 0 : parameters / rows }
}

/// Statistics of one float tensor (finite values; see TendInterop.TensorStatistics for the definitions).
/// `fine[i]` counts |w| whose float bits (sign dropped) >> 20 equal i (`InspectMagnitude`);
/// `cumulative[i]` is Σ fine[0..<i], so `cumulative[i]` weights have |w| < `InspectMagnitude.edge(i)` exactly.
public struct InspectTensorStats: Sendable, Equatable {
    public var mean: Double, std: Double, min: Double, max: Double, absMax: Double
    /// Σ w² over finite weights (the SQNR signal).
    public var sumSquares: Double
    public var zeros: Int, nonFinite: Int
    public var int8SQNR: Double, int4SQNR: Double
    public var fine: [Int]
    public let cumulative: [Int]

    public init(mean: Double, std: Double, min: Double, max: Double, absMax: Double, sumSquares: Double,
                zeros: Int, nonFinite: Int, int8SQNR: Double, int4SQNR: Double, fine: [Int]) {
        self.mean = mean; self.std = std; self.min = min; self.max = max; self.absMax = absMax
        self.sumSquares = sumSquares; self.zeros = zeros; self.nonFinite = nonFinite
        self.int8SQNR = int8SQNR; self.int4SQNR = int4SQNR; self.fine = fine
        var c = [Int](repeating: 0, count: fine.count + 1)
        for i in fine.indices { c[i + 1] = c[i] + fine[i] }
        cumulative = c
    }

    /// Weights with |w| < `InspectMagnitude.edge(bin)`.
    public func below(bin: Int) -> Int { cumulative[Swift.min(Swift.max(bin, 0), cumulative.count - 1)] }
}

/// Scan progress: bytes of float tensors read so far of the total, and the wall time it took.
public struct InspectScanProgress: Sendable, Equatable {
    public var scannedBytes: Int
    public var totalBytes: Int
    public var seconds: Double
    public var done: Bool
    public var failure: String?

    public init(scannedBytes: Int = 0, totalBytes: Int, seconds: Double = 0, done: Bool = false, failure: String? = nil) {
        self.scannedBytes = scannedBytes; self.totalBytes = totalBytes; self.seconds = seconds; self.done = done
        self.failure = failure
    }

    public var fraction: Double { totalBytes > 0 ? Double(scannedBytes) / Double(totalBytes) : 1 }
    public var bytesPerSecond: Double { seconds > 0 ? Double(scannedBytes) / seconds : 0 }
}

/// The fine magnitude bins (the same as TendInterop's `FineMagnitude`, restated here because the dashboard
/// does not import the reader): bin i covers |w| in [edge(i), edge(i+1)), 8 bins per octave.
public enum InspectMagnitude {
    public static let bins = 2048
    /// First bin of NaN and ±Inf.
    public static let nonFiniteStart = 0x7F8
    public static func edge(_ i: Int) -> Double { Double(Float(bitPattern: UInt32(Swift.max(0, Swift.min(i, 0x7F8))) << 20)) }
    /// The bin whose lower edge is nearest to `x` (> 0).
    public static func nearestEdge(_ x: Double) -> Int {
        let b = Int((Float(x).bitPattern & 0x7FFF_FFFF) >> 20)
        let lo = edge(b), hi = edge(b + 1)
        return Swift.min(nonFiniteStart, x - lo <= hi - x ? b : b + 1)
    }
}
