import Foundation
import TendEngine
@testable import TendRuntime

/// A live run on the digits sample for tests: one hidden layer of 16, one thread, a fresh run directory.
func digitsLiveRun(epochs: Int, servingRate: Double) throws -> LiveRun {
    var o = RunOptions()
    o.data = "Samples/digits.csv"
    o.hidden = "16"
    o.epochs = epochs
    o.threads = 1
    o.out = NSTemporaryDirectory() + "tend-runtime-\(UUID().uuidString)"
    return try LiveRun(options: o, serving: ServingConfig(rate: servingRate, batchSize: 1))
}
