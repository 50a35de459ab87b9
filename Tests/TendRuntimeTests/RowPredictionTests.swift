import Foundation
import Testing
import TendTensor
import TendEngine
import TendInterop
import TendCore
@testable import TendRuntime

/// `tend eval --json --rows-json`'s per-row entries: row numbers, labels, argmax and softmax probabilities.
@Suite struct RowPredictionSoftmaxTests {
    @Test func probabilitiesAreTheSoftmaxOfTheLogitsAndNumberTheDataRows() throws {
        let logits = Tensor(shape: [2, 3], storage: [2, 1, 0, -1000, 0, 1000])
        let rows = RowPrediction.rows(labels: [0, 1], predicted: [0, 2], logits: logits, firstRow: 10, classLabels: .identity(3))
        #expect(rows.map(\.row) == [10, 11] && rows.map(\.label) == [0, 1] && rows.map(\.argmax) == [0, 2])
        let e = [exp(2.0), exp(1.0), 1.0], s = e.reduce(0, +)
        #expect(zip(rows[0].probabilities, e.map { $0 / s }).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(rows[1].probabilities == [0, 0, 1])   // stable for huge logits
        let json = String(decoding: try JSONEncoder().encode(rows[0]), as: UTF8.self)
        #expect(json.contains("\"argmax\":0") && json.contains("\"probabilities\":[") && json.contains("\"row\":10"))
    }
}
