import Foundation
import Synchronization

/// A thread that runs only the newest submitted job: submitting while a job waits replaces it (after `merge`
/// folds anything the old job carried that the new one must keep), so a burst of key presses costs one
/// computation, never a queue. The job itself runs off the UI and training threads.
public final class CoalescingWorker<Job: Sendable>: @unchecked Sendable {
    private let pending = Mutex<Job?>(nil)
    private let wake = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(true)
    private let merge: @Sendable (_ older: Job, _ newer: Job) -> Job
    private let work: (Job) -> Void
    /// Jobs dropped because a newer one arrived first (for tests and stats).
    public let replaced = Atomic<Int>(0)

    public init(name: String, merge: @escaping @Sendable (Job, Job) -> Job = { _, new in new }, work: @escaping (Job) -> Void) {
        self.merge = merge
        self.work = work
        let t = Thread { [self] in loop() }
        t.name = name
        t.stackSize = 8 << 20
        t.start()
    }

    /// Queues `job`, replacing any job not started yet.
    public func submit(_ job: Job) {
        let hadPending = pending.withLock { slot -> Bool in
            if let old = slot { slot = merge(old, job); return true }
            slot = job
            return false
        }
        if hadPending { replaced.add(1, ordering: .relaxed) } else { wake.signal() }
    }

    /// Ends the thread after the current job.
    public func stop() {
        running.store(false, ordering: .releasing)
        wake.signal()
    }

    private func loop() {
        while true {
            wake.wait()
            guard running.load(ordering: .acquiring) else { return }
            guard let job = pending.withLock({ slot -> Job? in defer { slot = nil }; return slot }) else { continue }
            work(job)
        }
    }
}
