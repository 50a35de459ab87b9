import Testing
@testable import TendTensor

@Suite(.serialized) struct OptimizerKernelTests {
    @Test func parallelAdamMatchesSerialBitForBit() {
        var rng = LCG(11)
        let n = WorkerPool.minimumParallelElements * 2 + 13
        let w0 = rng.tensor([n]), g = rng.tensor([n])
        let mask = Tensor(shape: [n], storage: (0..<n).map { $0 % 5 == 0 ? 0 : 1 })
        func run(threads: Int, mask: Tensor?) -> [Tensor] {
            BLAS.setThreads(threads)
            var w = w0, m = Tensor(shape: [n]), v = Tensor(shape: [n])
            for t in 1...3 {
                adamUpdate(&w, grad: g, m: &m, v: &v, mask: mask, learningRate: 0.01, beta1: 0.9, beta2: 0.999,
                           epsilon: 1e-8, step: t, l2Coefficient: 0.01, decoupledDecay: 0.1)
            }
            return [w, m, v]
        }
        #expect(run(threads: 1, mask: nil) == run(threads: 2, mask: nil))
        let masked = run(threads: 2, mask: mask)
        #expect(masked == run(threads: 1, mask: mask))
        #expect(stride(from: 0, to: n, by: 5).allSatisfy { masked[0].storage[$0] == 0 })
        BLAS.setThreads(2)
    }

    @Test func workerPoolRunsEveryRangeOnce() {
        BLAS.setThreads(2)
        var hits = [Int](repeating: 0, count: 200_003)
        hits.withUnsafeMutableBufferPointer { p in
            WorkerPool.shared.forEachRange(p.count) { r in for i in r { p[i] += 1 } }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}
