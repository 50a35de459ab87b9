import TendTensor

/// Updates parameters from their gradients. State (moments, velocities) is kept per parameter
/// name, exported as tensors named `<optimizer>.<slot>.<parameter>` (e.g. `adam.m.fc1.weight`)
/// so checkpoints can store it. Masked entries (`Parameter.mask`) stay exactly 0.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    /// Number of `step` calls so far (Adam's bias correction uses stepCount + 1 for the next step).
    var stepCount: Int { get }
    func step(_ parameters: [Parameter])
    func stateTensors() -> [String: Tensor]
    /// Restores state saved by `stateTensors()`; missing slots start at zero, shapes are checked
    /// when the parameters are next seen.
    func loadState(_ s: [String: Tensor], stepCount: Int) throws
}

/// Why an optimizer refused saved state.
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    /// A saved state tensor does not match its parameter's shape.
    case shapeMismatch(name: String, expected: Shape, found: Shape)
    /// A state tensor name does not belong to this optimizer (e.g. SGD state given to Adam).
    case unknownTensor(name: String)
    case negativeStepCount(Int)

    public var description: String {
        switch self {
        case .shapeMismatch(let name, let expected, let found):
            "optimizer state '\(name)' has shape \(found) but its parameter is \(expected)"
        case .unknownTensor(let name):
            "optimizer state tensor '\(name)' does not belong to this optimizer"
        case .negativeStepCount(let n):
            "optimizer step count \(n) is negative"
        }
    }
}

/// L2 regularisation term `λ · Σ w²` over the parameters with `isDecayed` (weight matrices, not
/// biases or LayerNorm gain/shift), to add to the reported loss. The matching gradient `2λw` is
/// added by the optimizers when their `l2` is set.
public func l2Penalty(_ parameters: [Parameter], lambda: Float) -> Float {
    guard lambda != 0 else { return 0 }
    var s = 0.0
    for p in parameters where p.isDecayed { s += sumOfSquares(p.value) }
    return Float(Double(lambda) * s)
}

/// Per-parameter state slots bound to a parameter list, keyed by parameter name.
/// Rebinding happens only when the list of parameter objects changes.
struct SlotStore {
    let slots: [String]
    let prefix: String
    private(set) var ids: [ObjectIdentifier] = []
    private(set) var names: [String] = []
    /// tensors[slot][parameterIndex]
    var tensors: [[Tensor]]
    /// State loaded before the parameters were known, by full state name.
    var pending: [String: Tensor] = [:]

    init(prefix: String, slots: [String]) {
        self.prefix = prefix
        self.slots = slots
        tensors = Array(repeating: [], count: slots.count)
    }

    /// Moves a state tensor out (leaving an empty one) so it can be mutated alongside another slot
    /// without a copy; give it back with `put`.
    mutating func take(_ slot: Int, _ index: Int) -> Tensor {
        var t = Tensor.empty
        swap(&t, &tensors[slot][index])
        return t
    }

    mutating func put(_ t: Tensor, _ slot: Int, _ index: Int) { tensors[slot][index] = t }

    func stateName(slot: Int, parameter: String) -> String { "\(prefix).\(slots[slot]).\(parameter)" }

    mutating func bind(_ parameters: [Parameter]) {
        if parameters.count == ids.count && zip(parameters, ids).allSatisfy({ ObjectIdentifier($0) == $1 }) { return }
        var current = exported()
        for (k, v) in pending { current[k] = v }
        pending = [:]
        ids = parameters.map { ObjectIdentifier($0) }
        names = parameters.map(\.name)
        for s in 0..<slots.count {
            tensors[s] = parameters.map { p in
                if let t = current[stateName(slot: s, parameter: p.name)], t.shape == p.value.shape { return t }
                return Tensor(shape: p.value.shape)
            }
        }
    }

    func exported() -> [String: Tensor] {
        var out = pending
        for s in 0..<slots.count {
            for (i, name) in names.enumerated() { out[stateName(slot: s, parameter: name)] = tensors[s][i] }
        }
        return out
    }

    mutating func load(_ state: [String: Tensor]) throws {
        for name in state.keys where !slots.contains(where: { name.hasPrefix("\(prefix).\($0).") }) {
            throw OptimizerStateError.unknownTensor(name: name)
        }
        // Check shapes against the currently bound parameters, if any.
        var shapes: [String: Shape] = [:]
        for (i, name) in names.enumerated() { shapes[name] = tensors[0].isEmpty ? nil : tensors[0][i].shape }
        for s in 0..<slots.count {
            for (name, shape) in shapes {
                let key = stateName(slot: s, parameter: name)
                if let t = state[key], t.shape != shape { throw OptimizerStateError.shapeMismatch(name: key, expected: shape, found: t.shape) }
            }
        }
        // Replace all state: the next bind takes `pending`, absent slots start at zero.
        pending = state
        ids = []
        names = []
        tensors = Array(repeating: [], count: slots.count)
    }
}
