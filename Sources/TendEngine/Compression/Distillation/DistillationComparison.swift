import Dispatch
import TendTensor

/// Size, accuracy and batch-1 latency of one model, as `tend distill` reports it. Accuracies in 0...1, losses in
/// nats (plain cross-entropy), bytes as dense fp32 (4 per parameter), latency in microseconds per single-row forward.
public struct ModelFigures: Sendable, Equatable, Codable {
    public var layout: [Int]
    public var parameters: Int
    public var bytes: Int
    public var validationAccuracy: Double?, validationLoss: Double?
    public var testAccuracy: Double?, testLoss: Double?
    public var latencyP50Microseconds: Double
    public var latencyP99Microseconds: Double

    enum CodingKeys: String, CodingKey {
        case layout, parameters, bytes
        case validationAccuracy = "val_accuracy", validationLoss = "val_loss", testAccuracy = "test_accuracy", testLoss = "test_loss"
        case latencyP50Microseconds = "latency_p50_us", latencyP99Microseconds = "latency_p99_us"
    }
}

/// Teacher and student side by side: sizes, validation and test accuracy, batch-1 latency, and how often the two
/// pick the same class (on the test split, else validation).
public struct DistillationComparison: Sendable, Equatable, Codable {
    public var teacher: ModelFigures
    public var student: ModelFigures
    /// Fraction of rows (0...1) where the student's argmax equals the teacher's.
    public var agreement: Double
    /// "test" or "validation": the split `agreement` was measured on.
    public var agreementSplit: String
    public var agreementRows: Int
    /// Single-row forwards timed per model.
    public var latencySamples: Int

    enum CodingKeys: String, CodingKey {
        case teacher, student, agreement
        case agreementSplit = "agreement_split", agreementRows = "agreement_rows", latencySamples = "latency_samples"
    }

    /// Parameter ratio student / teacher.
    public var sizeRatio: Double { Double(student.parameters) / Double(max(teacher.parameters, 1)) }
    /// Median latency ratio student / teacher.
    public var latencyRatio: Double { student.latencyP50Microseconds / max(teacher.latencyP50Microseconds, 1e-9) }

    /// Measures both models on `data` (normalised). Latency: `latencySamples` single-row `predict` calls per model
    /// over validation rows (training rows without a validation split), alternating teacher and student in blocks
    /// of 16 after a warm-up, so both see the same machine load.
    public static func measure(teacher: any Model, student: any Model, data: DataSplit, latencySamples: Int = 400) -> DistillationComparison {
        func figures(_ m: any Model, latency: (Double, Double)) -> ModelFigures {
            let v = data.validation.count > 0 ? evaluate(m, on: data.validation) : nil
            let t = data.test.count > 0 ? evaluate(m, on: data.test) : nil
            return ModelFigures(layout: m.architecture.widths, parameters: m.parameterCount, bytes: 4 * m.parameterCount,
                                validationAccuracy: v?.report.accuracy, validationLoss: v?.loss,
                                testAccuracy: t?.report.accuracy, testLoss: t?.loss,
                                latencyP50Microseconds: latency.0, latencyP99Microseconds: latency.1)
        }
        let (lt, ls) = batchOneLatency(teacher, student, rows: data.validation.count > 0 ? data.validation : data.train,
                                       samples: latencySamples)
        let split = data.test.count > 0 ? data.test : data.validation
        var same = 0
        if split.count > 0 {
            let a = evaluate(teacher, on: split).predictions, b = evaluate(student, on: split).predictions
            for i in 0..<a.count where a[i] == b[i] { same += 1 }
        }
        return DistillationComparison(teacher: figures(teacher, latency: lt), student: figures(student, latency: ls),
                                      agreement: split.count > 0 ? Double(same) / Double(split.count) : .nan,
                                      agreementSplit: data.test.count > 0 ? "test" : "validation", agreementRows: split.count,
                                      latencySamples: latencySamples)
    }

    /// (p50, p99) in microseconds of single-row forwards of `a` and of `b`, timed the same way, interleaved.
    public static func batchOneLatency(_ a: any Predictor, _ b: any Predictor, rows: Dataset, samples: Int) -> ((Double, Double), (Double, Double)) {
        guard rows.count > 0, samples > 0 else { return ((.nan, .nan), (.nan, .nan)) }
        let inputs = (0..<min(rows.count, 64)).map { rows.features.sliceRows($0..<($0 + 1)) }
        for x in inputs { _ = a.predict(x); _ = b.predict(x) }   // warm-up: buffers allocated, caches filled
        var ta: [Double] = [], tb: [Double] = []
        ta.reserveCapacity(samples); tb.reserveCapacity(samples)
        var i = 0
        while ta.count < samples {
            for (model, out) in [(a, 0), (b, 1)] {
                for k in 0..<min(16, samples - (out == 0 ? ta.count : tb.count)) {
                    let x = inputs[(i + k) % inputs.count]
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    _ = model.predict(x)
                    let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000
                    if out == 0 { ta.append(dt) } else { tb.append(dt) }
                }
            }
            i += 16
        }
        return (percentiles(ta), percentiles(tb))
    }

    /// Nearest-rank p50 and p99.
    static func percentiles(_ v: [Double]) -> (Double, Double) {
        let s = v.sorted()
        func rank(_ p: Double) -> Double { s[min(s.count - 1, max(0, Int((p * Double(s.count)).rounded(.up)) - 1))] }
        return (rank(0.5), rank(0.99))
    }
}
