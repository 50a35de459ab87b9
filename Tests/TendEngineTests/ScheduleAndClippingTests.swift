import Testing
import TendTensor
@testable import TendEngine

@Suite struct ScheduleAndClippingTests {
    @Test func stepScheduleDecaysEveryPeriod() {
        let s = LRSchedule.step(every: 10, gamma: 0.5)
        #expect(s.rate(base: 1, step: 0) == 1)
        #expect(s.rate(base: 1, step: 9) == 1)
        #expect(s.rate(base: 1, step: 10) == 0.5)
        #expect(s.rate(base: 1, step: 25) == 0.25)
        #expect(LRSchedule.constant.rate(base: 0.3, step: 1000) == 0.3)
    }

    @Test func cosineScheduleWarmsUpThenDecaysToFloor() {
        let s = LRSchedule.cosine(warmupSteps: 10, totalSteps: 110, minFactor: 0.1)
        #expect(abs(s.rate(base: 1, step: 0) - 0.1) < 1e-6)
        #expect(abs(s.rate(base: 1, step: 9) - 1) < 1e-6)
        #expect(abs(s.rate(base: 1, step: 10) - 1) < 1e-6)
        #expect(abs(s.rate(base: 1, step: 60) - 0.55) < 1e-6)
        #expect(abs(s.rate(base: 1, step: 110) - 0.1) < 1e-6)
        #expect(abs(s.rate(base: 1, step: 500) - 0.1) < 1e-6)
    }

    @Test func schedulesRoundTripThroughJSON() throws {
        let s = LRSchedule.cosine(warmupSteps: 3, totalSteps: 9, minFactor: 0.2)
        let data = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(LRSchedule.self, from: data) == s)
    }

    @Test func clippingScalesToMaxNormAndReportsNormBefore() {
        let a = Parameter(name: "a", value: Tensor(shape: [2]))
        let b = Parameter(name: "b", value: Tensor(shape: [1]))
        a.grad = Tensor(shape: [2], storage: [3, 0])
        b.grad = Tensor(shape: [1], storage: [4])
        #expect(clipGradientsByGlobalNorm([a, b], maxNorm: 10) == 5)
        #expect(a.grad.storage == [3, 0])
        #expect(clipGradientsByGlobalNorm([a, b], maxNorm: 1) == 5)
        #expect(abs(a.grad.storage[0] - 0.6) < 1e-7 && abs(b.grad.storage[0] - 0.8) < 1e-7)
    }
}

import Foundation
