import Foundation
import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct QuantDigitsTests {
    /// Samples/digits.csv (64 pixel columns 0…16, then `label`), read with a minimal parser.
    static func digits() throws -> Dataset {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Samples/digits.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var features: [Float] = [], labels: [Int] = []
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",")
            features += cells.dropLast().map { Float($0.trimmingCharacters(in: .whitespaces))! }
            labels.append(Int(cells.last!.trimmingCharacters(in: .whitespaces))!)
        }
        return Dataset(features: Tensor(shape: [labels.count, 64], storage: features), labels: labels)
    }

    @Test func perChannelSymmetricInt8KeepsDigitsAccuracyWithinOnePoint() throws {
        let all = try Self.digits()
        let split = DataSplit(all, seed: 3)
        let norm = Normalizer.fit(.standard, on: split.train.features)
        let train = norm.apply(split.train), validation = norm.apply(split.validation)
        let model = try MLP(layout: MLPLayout(sizes: [64, 96, 64, 10]), seed: 1)
        let adam = Adam(learningRate: 3e-3)
        var sampler = BatchSampler(batchSize: 64, rng: SeededGenerator(seed: 2))
        var xb = Tensor(shape: [64, 64]), yb = [Int](repeating: 0, count: 64)
        for _ in 0..<12 {
            sampler.startEpoch(count: train.count)
            while sampler.next(from: train, x: &xb, y: &yb) {
                let (_, grad) = softmaxCrossEntropy(logits: model.forward(xb, training: true), labels: yb)
                model.backward(grad)
                adam.step(model.parameters)
            }
        }
        let q = QuantizedModel(model: model, calibration: train.features.sliceRows(0..<512),
                             config: QuantizationConfig(perChannel: true, symmetric: true))
        let report = QuantizationReport.build(model: model, quantized: q, calibration: train.features.sliceRows(0..<512),
                                              validation: validation)
        let fp32 = try #require(report.fp32), int8 = try #require(report.int8)
        #expect(fp32.accuracy > 0.93, "fp32 digits accuracy \(fp32.accuracy)")
        #expect(int8.accuracy >= fp32.accuracy - 0.01, "int8 \(int8.accuracy) vs fp32 \(fp32.accuracy)")
        #expect(report.argmaxAgreement! > 0.97)
        for layer in report.layers {
            #expect(layer.weight.sqnrDB > 35, "\(layer.name) weight SQNR \(layer.weight.sqnrDB)")
            #expect(layer.int4Weight.sqnrDB < layer.weight.sqnrDB)
        }
        // The stored form rebuilds the same model bit for bit.
        let records = Dictionary(uniqueKeysWithValues: QuantizedArchive.records(of: q).map { ($0.name, $0) })
        let back = try QuantizedArchive.model(layout: model.layout, records: records, metadata: QuantizedArchive.metadata(of: q))
        #expect(back.predict(validation.features) == q.predict(validation.features))
    }
}
