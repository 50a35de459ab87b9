import TendTensor

/// Anything that maps a batch to logits [rows, outputCount] in evaluation mode: fp32 models and
/// their compressed forms alike. Evaluation and serving take a `Predictor`. An instance may keep
/// scratch buffers: use it from one thread at a time.
public protocol Predictor: AnyObject {
    /// Logits [batch.count, outputCount], owned by the caller (no dropout).
    func predict(_ batch: Batch) -> Tensor
    /// Width of the logits (classes).
    var outputCount: Int { get }
}

extension Predictor {
    /// `predict(.features(x))`.
    public func predict(_ x: Tensor) -> Tensor { predict(.features(x)) }
}

/// The name the serving loop used before `Predictor` existed.
public typealias ServableModel = Predictor
