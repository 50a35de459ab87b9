import Synchronization
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A tiny pool of persistent helper threads for splitting large elementwise kernels (optimizer
/// updates over millions of weights) across the same number of threads OpenBLAS uses
/// (`BLAS.setThreads`). Hand-off is a POSIX semaphore per helper (≈10 µs), so only work of at
/// least `minimumParallelElements` is split. If the pool is busy (a second thread calling in),
/// the work simply runs on the caller.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()
    /// Below this many elements a kernel runs on the calling thread.
    static let minimumParallelElements = 1 << 16

    private final class Helper {
        var start = sem_t()
        var done = sem_t()
        var job: ((Int) -> Void)?
        var index = 0
        init() {
            sem_init(&start, 0, 0)
            sem_init(&done, 0, 0)
        }
        func run() {
            while true {
                while sem_wait(&start) != 0 {}
                job?(index)
                while sem_post(&done) != 0 {}
            }
        }
    }

    private var helpers: [Helper] = []
    private var busy = pthread_mutex_t()
    /// Threads to use including the caller (≥ 1); set together with OpenBLAS's thread count.
    private(set) var parallelism = 1

    private init() { pthread_mutex_init(&busy, nil) }

    func setParallelism(_ n: Int) {
        pthread_mutex_lock(&busy)
        defer { pthread_mutex_unlock(&busy) }
        parallelism = max(1, n)
        while helpers.count < parallelism - 1 {
            let h = Helper()
            var tid = pthread_t()
            let context = Unmanaged.passRetained(h).toOpaque()
            let rc = pthread_create(&tid, nil, { ctx in
                Unmanaged<Helper>.fromOpaque(ctx!).takeUnretainedValue().run()
                return nil
            }, context)
            guard rc == 0 else { Unmanaged<Helper>.fromOpaque(context).release(); parallelism = helpers.count + 1; return }
            pthread_detach(tid)
            helpers.append(h)
        }
    }

    /// Calls `body(0..<parts)` with `parts = min(parallelism, …)` chunks in parallel, chunk 0 on
    /// the caller. Returns after every chunk has finished.
    func run(parts requested: Int, _ body: (Int) -> Void) {
        let parts = min(requested, parallelism)
        guard parts > 1, pthread_mutex_trylock(&busy) == 0 else {
            for p in 0..<requested { body(p) }
            return
        }
        defer { pthread_mutex_unlock(&busy) }
        // Chunks beyond `parts` (if the caller asked for more) run on the caller after its own.
        withoutActuallyEscaping(body) { job in
            for k in 1..<parts {
                helpers[k - 1].job = job
                helpers[k - 1].index = k
                sem_post(&helpers[k - 1].start)
            }
            job(0)
            for p in parts..<requested { job(p) }
            for k in 1..<parts {
                while sem_wait(&helpers[k - 1].done) != 0 {}
                helpers[k - 1].job = nil
            }
        }
    }

    /// Splits `0..<count` into contiguous ranges (multiples of 8 except the last) and runs them
    /// in parallel when `count` is large enough.
    func forEachRange(_ count: Int, _ body: (Range<Int>) -> Void) {
        let parts = count >= WorkerPool.minimumParallelElements ? parallelism : 1
        if parts <= 1 { body(0..<count); return }
        let chunk = ((count + parts - 1) / parts + 7) & ~7
        run(parts: parts) { p in
            let lo = min(count, p * chunk), hi = min(count, lo + chunk)
            if lo < hi { body(lo..<hi) }
        }
    }
}

/// Data-parallel loops on the worker threads `BLAS.setThreads` sizes (the caller is one of them).
public enum Parallel {
    /// Threads a loop may use, including the caller.
    public static var threads: Int { WorkerPool.shared.parallelism }

    /// Calls `body(i, worker)` for every `i` in `0..<count`, indices handed out one at a time to up to
    /// `threads` threads (so uneven items balance); `worker` (0..<threads) tells which thread runs it, for
    /// per-thread scratch. Runs serially (worker 0) when `count` < 2 or one thread.
    /// BLAS calls inside `body` must stay single-threaded (`BLAS.useSingleThread()` first).
    /// `maxWorkers` bounds `worker` (scratch sized for fewer threads than are set now stays in bounds).
    public static func forEach(_ count: Int, maxWorkers: Int = .max, _ body: (_ item: Int, _ worker: Int) -> Void) {
        let parts = min(count, WorkerPool.shared.parallelism, max(1, maxWorkers))
        if parts <= 1 { for i in 0..<count { body(i, 0) }; return }
        let next = Atomic<Int>(0)
        WorkerPool.shared.run(parts: parts) { worker in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= count { break }
                body(i, worker)
            }
        }
    }

    /// Calls `body(p)` for `p` in `0..<parts`, part p on thread p (the caller runs part 0), in parallel up
    /// to `threads`; parts beyond that run on the caller.
    public static func forParts(_ parts: Int, _ body: (Int) -> Void) {
        WorkerPool.shared.run(parts: parts, body)
    }

    /// Splits `0..<count` into up to `threads` contiguous ranges of whole rows and runs them in parallel
    /// when `count · costPerItem` ≥ `minimumWork` (elementwise operations).
    public static func forRanges(_ count: Int, costPerItem: Int = 1, minimumWork: Int = 1 << 15,
                                 _ body: (Range<Int>) -> Void) {
        let parts = count * costPerItem >= minimumWork ? min(count, WorkerPool.shared.parallelism) : 1
        if parts <= 1 { body(0..<count); return }
        let chunk = (count + parts - 1) / parts
        WorkerPool.shared.run(parts: parts) { p in
            let lo = min(count, p * chunk), hi = min(count, lo + chunk)
            if lo < hi { body(lo..<hi) }
        }
    }
}
