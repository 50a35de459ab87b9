import Foundation
import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct DistillationLossTests {
    static func logits(_ rows: Int, _ cols: Int, seed: UInt64, scale: Float = 2) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return GradientCheck.randomTensor([rows, cols], &g, scale: scale)
    }

    @Test(arguments: [(Float(4), Float(0.7)), (1, 0.3), (2.5, 1), (0.5, 0)])
    func gradientMatchesFiniteDifferences(temperature: Float, alpha: Float) {
        let loss = DistillationLoss(temperature: temperature, alpha: alpha)
        let student = Self.logits(5, 4, seed: 11), teacher = Self.logits(5, 4, seed: 12, scale: 3)
        let labels = [0, 3, 1, 2, 3]
        let (_, analytic) = loss(student: student, teacher: teacher, labels: labels)
        var probe = student
        let numeric = GradientCheck.numeric(student, set: { probe = $0 }) {
            Double(loss(student: probe, teacher: teacher, labels: labels).value.total)
        }
        #expect(GradientCheck.relativeError(analytic, numeric) < 2e-3)
    }

    /// One row, two classes, T = 2: teacher z/T = [ln 3, 0] → p = [3/4, 1/4]; student [0, 0] → q = [1/2, 1/2]; label 0.
    @Test func handComputedCase() {
        let loss = DistillationLoss(temperature: 2, alpha: 0.5)
        let teacher = Tensor(shape: [1, 2], storage: [2 * Float(log(3.0)), 0])
        let student = Tensor(shape: [1, 2], storage: [0, 0])
        let (v, g) = loss(student: student, teacher: teacher, labels: [0])
        let kl = 0.75 * log(1.5) + 0.25 * log(0.5)          // 0.130812
        let ce = log(2.0)                                   // 0.693147
        #expect(abs(Double(v.kl) - kl) < 1e-6)
        #expect(abs(Double(v.crossEntropy) - ce) < 1e-6)
        #expect(abs(Double(v.total) - (0.5 * 4 * kl + 0.5 * ce)) < 1e-6)   // 0.608198
        // α·T·(q − p) = [−0.25, 0.25]; (1 − α)·(s − onehot) = [−0.25, 0.25]
        #expect(abs(g.storage[0] + 0.5) < 1e-6 && abs(g.storage[1] - 0.5) < 1e-6)
    }

    @Test func alphaZeroIsPlainCrossEntropy() {
        let student = Self.logits(6, 5, seed: 3), teacher = Self.logits(6, 5, seed: 4)
        let labels = [4, 0, 1, 1, 2, 3]
        let (v, g) = DistillationLoss(temperature: 4, alpha: 0)(student: student, teacher: teacher, labels: labels)
        let (ce, gce) = softmaxCrossEntropy(logits: student, labels: labels)
        #expect(abs(v.total - ce) < 1e-5)
        #expect(GradientCheck.relativeError(g, gce) < 1e-5)
    }

    /// α = 1, T = 1: the loss is KL(p ‖ q), computed here from probabilities directly.
    @Test func alphaOneTemperatureOneIsKL() {
        let student = Self.logits(4, 3, seed: 5), teacher = Self.logits(4, 3, seed: 6)
        let (v, g) = DistillationLoss(temperature: 1, alpha: 1)(student: student, teacher: teacher, labels: [0, 1, 2, 0])
        func softmax(_ t: Tensor, _ r: Int) -> [Double] {
            let row = (0..<3).map { Double(t[r, $0]) }
            let e = row.map { exp($0) }, s = e.reduce(0, +)
            return e.map { $0 / s }
        }
        var kl = 0.0
        var expected = [Float]()
        for r in 0..<4 {
            let p = softmax(teacher, r), q = softmax(student, r)
            for j in 0..<3 { kl += p[j] * log(p[j] / q[j]); expected.append(Float((q[j] - p[j]) / 4)) }
        }
        #expect(abs(Double(v.total) - kl / 4) < 1e-6)
        #expect(GradientCheck.relativeError(g, Tensor(shape: [4, 3], storage: expected)) < 1e-5)
    }

    @Test func identicalLogitsHaveZeroKLAndHugeLogitsStayFinite() {
        let z = Tensor(shape: [2, 3], storage: [1000, -1000, 0, -5e4, 3e4, 2e4])
        let (v, g) = DistillationLoss()(student: z, teacher: z, labels: [0, 1])
        #expect(abs(v.kl) < 1e-6)
        #expect(v.total.isFinite && g.storage.allSatisfy(\.isFinite))
    }

    @Test func rejectsBadSettings() {
        #expect(DistillationLoss(temperature: 0, alpha: 0.5).validationError != nil)
        #expect(DistillationLoss(temperature: 2, alpha: 1.5).validationError != nil)
        #expect(DistillationLoss().validationError == nil)
    }
}

@Suite struct DistillerTests {
    @Test func defaultStudentHalvesHiddenWidthsAndKeepsActivation() {
        let t = MLPLayout(sizes: [64, 128, 64, 10], activation: .gelu, dropout: 0.1, layerNorm: true)
        let s = DistillationConfig.studentLayout(teacher: t, hidden: nil)
        #expect(s.sizes == [64, 64, 32, 10] && s.activation == .gelu && s.layerNorm && s.dropout == 0)
        #expect(DistillationConfig.studentLayout(teacher: t, hidden: [16]).sizes == [64, 16, 10])
    }

    /// The command's core on Samples/digits.csv: a 64-128-128-10 teacher, a 64-32-10 student distilled for a few epochs.
    @Test func distilledStudentBeatsChanceAndReportHasTheFields() throws {
        let all = try QuantDigitsTests.digits()
        let raw = DataSplit(all, seed: 5)
        let norm = Normalizer.fit(.standard, on: raw.train.features)
        var data = raw
        data.train = norm.apply(raw.train); data.validation = norm.apply(raw.validation); data.test = norm.apply(raw.test)
        var tc = TrainConfig(layout: MLPLayout(sizes: [64, 128, 128, 10])); tc.epochs = 6; tc.learningRate = 3e-3
        let trainer = try Trainer(config: tc, data: raw)
        trainer.run()
        var config = DistillationConfig(); config.epochs = 4; config.studentHidden = [32]; config.learningRate = 3e-3
        let sink = RecordingSink()
        let (report, distiller) = try DistillationReport.run(teacher: trainer.model, data: data, config: config, sink: sink, latencySamples: 50)
        let c = report.comparison
        #expect(report.history.count == 4)
        #expect(c.student.layout == [64, 32, 10] && c.student.parameters == 64 * 32 + 32 + 32 * 10 + 10)
        #expect(c.student.bytes == 4 * c.student.parameters && c.teacher.parameters > 4 * c.student.parameters)
        #expect((c.student.testAccuracy ?? 0) > 0.8, "chance is 0.1")
        #expect((c.teacher.testAccuracy ?? 0) > 0.9)
        #expect(c.agreement > 0.8 && c.agreementSplit == "test")
        #expect(c.student.latencyP50Microseconds > 0 && c.student.latencyP99Microseconds >= c.student.latencyP50Microseconds)
        #expect(sink.keys.contains(.distillValAccuracy) && sink.keys.contains(.distillTrainLoss))
        // The student's checkpoint loads into a fresh model of its layout and predicts the same.
        let ck = distiller.makeCheckpoint(metadata: [:])
        let layout = try #require(try Checkpoint.architecture(ck.metadata).mlpLayout)   // tend.format 2: a tagged record
        let reloaded = try MLP(layout: layout, seed: 99)
        try reloaded.load(Dictionary(ck.tensors, uniquingKeysWith: { a, _ in a }))
        #expect(evaluate(reloaded, on: data.test).predictions == evaluate(distiller.student, on: data.test).predictions)
        // The JSON object carries the fields the command prints.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as! [String: Any]
        let cmp = json["comparison"] as! [String: Any]
        let student = cmp["student"] as! [String: Any]
        for key in ["parameters", "bytes", "val_accuracy", "test_accuracy", "latency_p50_us", "latency_p99_us", "layout"] {
            #expect(student[key] != nil, "student.\(key)")
        }
        #expect(cmp["agreement"] != nil && cmp["teacher"] != nil && json["temperature"] != nil && json["alpha"] != nil)
    }

    @Test func stopEndsTheRunAfterTheCurrentBatch() throws {
        let all = try QuantDigitsTests.digits()
        let data = DataSplit(all, seed: 1)
        var config = DistillationConfig(); config.epochs = 50
        let d = try Distiller(teacher: try MLP(layout: MLPLayout(sizes: [64, 16, 10]), seed: 1), data: data, config: config)
        d.onStep = { batch, _ in if batch == 3 { d.stop() } }
        #expect(d.run() == .stopped(afterEpochs: 0))
        #expect(d.step == 3 && d.history.isEmpty)
    }
}
