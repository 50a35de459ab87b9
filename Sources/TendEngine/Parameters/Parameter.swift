import TendTensor

/// A trainable tensor with its gradient and an optional frozen 0/1 mask (pruning).
/// Invariants: `grad.shape == value.shape` (or `grad` is empty until the first backward / `zeroGrad` for a
/// parameter made with `gradient: false`); `mask`, when set, has the same shape and every entry
/// where it is 0 is kept exactly 0 in `value` by `applyMask()` and by every optimizer.
public final class Parameter {
    /// PyTorch-style name, e.g. `fc1.weight`.
    public let name: String
    public var value: Tensor { didSet { version &+= 1 } }
    /// Incremented by every write to `value` (assignment or in-place mutation): a model that keeps derived
    /// copies of its weights (packed panels) compares it to know when to rebuild them.
    public private(set) var version: UInt64 = 0
    /// Gradient of the loss w.r.t. `value`, overwritten by each backward pass.
    public var grad: Tensor
    /// 1 = trainable, 0 = pruned (frozen at 0). `nil` = nothing masked.
    public var mask: Tensor? {
        didSet {
            if let mask { precondition(mask.shape == value.shape, "Parameter \(name): mask \(mask.shape) does not match value \(value.shape)") }
        }
    }
    /// What the parameter is for (weight, bias, norm, embedding); selects decay and pruning.
    public let role: ParameterRole
    /// Whether L2 regularisation and AdamW's weight decay apply (weights and embeddings; not
    /// biases or LayerNorm gain/shift).
    public var isDecayed: Bool { role.isDecayed }

    /// `role` defaults to `.weight` for matrices and `.bias` for vectors. `gradient: false` leaves `grad`
    /// empty (no memory) until a backward pass or `zeroGrad` sizes it: for models loaded to serve.
    public init(name: String, value: Tensor, role: ParameterRole? = nil, gradient: Bool = true) {
        self.name = name
        self.value = value
        self.grad = gradient ? Tensor(shape: value.shape) : .empty
        self.role = role ?? (value.rank >= 2 ? .weight : .bias)
    }

    /// Zeroes the masked entries of `value` (no-op without a mask).
    public func applyMask() {
        guard let mask else { return }
        TendTensor.applyMask(&value, mask: mask)
    }

    /// Sets the gradient to zero.
    public func zeroGrad() { grad.ensureShape(value.shape); grad.fill(0) }

    /// A deep copy (value, grad, mask); storage is shared copy-on-write until either side writes.
    public func copy() -> Parameter {
        let p = Parameter(name: name, value: value, role: role)
        p.grad = grad
        p.mask = mask
        return p
    }

    /// Number of scalar entries.
    public var count: Int { value.count }
}
