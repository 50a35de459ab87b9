import TendTensor

/// A differentiable block with its forward and backward passes side by side.
///
/// Contract:
/// - `forward(x, training:)` maps [batch, in] to [batch, out]. The returned tensor is the layer's
///   own output buffer, reused by the next call with the same batch size: drop it before calling
///   `forward` again or the reuse costs a copy (results stay correct either way).
/// - `backward(gradOut)` must follow a `forward(_, training: true)`; it returns the gradient w.r.t.
///   the input and OVERWRITES (does not accumulate) every parameter's `grad`, for speed. To
///   accumulate over several micro-batches, sum the grads yourself between calls.
/// - After `backward`, a layer releases what it kept from the forward pass.
public protocol Layer: AnyObject {
    func forward(_ x: Tensor, training: Bool) -> Tensor
    func backward(_ gradOut: Tensor) -> Tensor
    /// Trainable parameters in a stable order (empty for parameter-free layers).
    var parameters: [Parameter] { get }
}
