import Foundation
import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// Checkpoints say how the normaliser's `offset` and `factor` combine: `x' = (x − offset) · factor`.
@Suite struct NormalizerMetadataTests {
    @Test func checkpointMetadataStatesTheFormulaBesideOffsetAndFactor() throws {
        var c = smallConfig(epochs: 1)
        c.normalization = .standard
        let t = try Trainer(config: c, data: DataSplit(blobs(rows: 60, seed: 8), seed: 0))
        let text = try #require(t.makeCheckpoint(reason: "test").metadata[Checkpoint.Key.normalizer])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["formula"] as? String == "x' = (x − offset) · factor")
        // The formula read literally reproduces what the trainer applies.
        let offset = try #require(object["offset"] as? [Double]), factor = try #require(object["factor"] as? [Double])
        let raw: [Float] = [1, -2, 0.5, 3]
        let byFormula = (0..<4).map { Float((Double(raw[$0]) - offset[$0]) * factor[$0]) }
        let applied = t.normalizer.apply(Tensor(shape: [1, 4], storage: raw)).storage
        #expect(zip(byFormula, applied).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(try JSONDecoder().decode(Normalizer.self, from: Data(text.utf8)) == t.normalizer)
    }

    @Test func olderJSONWithoutTheFormulaLoadsAndAnotherFormulaIsRefused() throws {
        let old = #"{"kind":{"standard":{}},"offset":[1,2],"factor":[0.5,0.25]}"#
        let n = try JSONDecoder().decode(Normalizer.self, from: Data(old.utf8))
        #expect(n.offset == [1, 2] && n.factor == [0.5, 0.25])
        let other = #"{"kind":{"standard":{}},"offset":[1,2],"factor":[0.5,0.25],"formula":"x' = x · factor + offset"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Normalizer.self, from: Data(other.utf8)) }
        let uneven = #"{"kind":{"none":{}},"offset":[1,2],"factor":[0.5]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Normalizer.self, from: Data(uneven.utf8)) }
    }
}
