import TendCore

extension MetricKey {
    /// Gauge: bytes the model's weights take as dense fp32 (parameters × 4).
    public static let modelBytesDense: MetricKey = "model/bytes_dense"
    /// Gauge: bytes the weights take as stored after pruning and quantization (what a checkpoint would hold).
    public static let modelBytesStored: MetricKey = "model/bytes_stored"
}
