import TendCore
import TendTensor

/// The result of a distillation run as `tend distill --json` prints it (with the command's file names added).
public struct DistillationReport: Sendable, Codable {
    public var temperature: Float
    public var alpha: Float
    public var epochs: Int
    public var learningRate: Float
    public var history: [DistillationEpoch]
    public var comparison: DistillationComparison

    enum CodingKeys: String, CodingKey {
        case temperature, alpha, epochs, history, comparison
        case learningRate = "learning_rate"
    }

    /// Runs `config` on `teacher` (data normalised the teacher's way) and measures both models afterwards.
    /// Returns the report and the distiller (its `student` and `makeCheckpoint`).
    public static func run(teacher: any Model, data: DataSplit, config: DistillationConfig, sink: any MetricSink = NullMetricSink(),
                           latencySamples: Int = 400, onEpoch: ((DistillationEpoch) -> Void)? = nil) throws -> (DistillationReport, Distiller) {
        let d = try Distiller(teacher: teacher, data: data, config: config, sink: sink)
        d.onEpoch = onEpoch
        d.run()
        let cmp = DistillationComparison.measure(teacher: d.teacher, student: d.student, data: data, latencySamples: latencySamples)
        return (DistillationReport(temperature: config.temperature, alpha: config.alpha, epochs: d.epoch,
                                   learningRate: config.learningRate, history: d.history, comparison: cmp), d)
    }
}
