import CBLAS

/// Process-wide OpenBLAS settings.
public enum BLAS {
    /// Sets how many threads OpenBLAS uses for every following call (≥ 1); Tend's own large
    /// elementwise kernels (optimizer updates) use the same number.
    public static func setThreads(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
        WorkerPool.shared.setParallelism(n)
    }

    /// How many threads OpenBLAS currently uses.
    public static var threads: Int { Int(openblas_get_num_threads()) }
}
