import CBLAS
import Synchronization

/// Process-wide OpenBLAS settings.
///
/// Thread policy: `setThreads(n)` sets the most threads a product may use. Products smaller than
/// `parallelThreshold` multiply-adds run on one thread: OpenBLAS's own cut-off (about 2.6e5) hands
/// small products such as the digits MLP's (64×128×128) to its pool, where on a busy two-core machine
/// the threads spin against the serving and UI threads and training ran 3× slower than on one thread.
public enum BLAS {
    private static let maxThreads = Atomic<Int>(1)
    private static let currentThreads = Atomic<Int>(0)

    /// Products with fewer multiply-adds (M·N·K) than this run single-threaded.
    public static let parallelThreshold = 1 << 22

    /// Sets how many threads OpenBLAS may use (≥ 1); Tend's own large elementwise kernels
    /// (optimizer updates) use the same number.
    public static func setThreads(_ n: Int) {
        let n = max(1, n)
        maxThreads.store(n, ordering: .relaxed)
        use(n)
        WorkerPool.shared.setParallelism(n)
    }

    /// The most threads a product may use.
    public static var threads: Int { maxThreads.load(ordering: .relaxed) }

    /// Makes OpenBLAS use the right number of threads for a product of `macs` multiply-adds.
    @inline(__always)
    static func prepare(macs: Int) {
        let want = macs >= parallelThreshold ? maxThreads.load(ordering: .relaxed) : 1
        if currentThreads.load(ordering: .relaxed) != want { use(want) }
    }

    private static let skinnyRows = Atomic<Int>(4)

    /// Products of at most this many rows go through `sgemv` row by row instead of `sgemm` (default 4;
    /// 0 turns the path off, for comparison): with a few rows sgemm packs all of `op(b)` each call,
    /// which costs more than the product (784-1024-1024-10 at batch 1: see `tend bench quantize`).
    public static var skinnyRowLimit: Int {
        get { skinnyRows.load(ordering: .relaxed) }
        set { skinnyRows.store(max(0, newValue), ordering: .relaxed) }
    }

    /// Puts OpenBLAS on one thread before products are issued from several threads at once.
    public static func useSingleThread() {
        if currentThreads.load(ordering: .relaxed) != 1 { use(1) }
    }

    private static func use(_ n: Int) {
        currentThreads.store(n, ordering: .relaxed)
        openblas_set_num_threads(Int32(n))
    }
}
