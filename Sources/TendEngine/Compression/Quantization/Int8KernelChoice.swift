import Foundation

/// `TEND_INT8_KERNEL` names a kernel this build has not got, or one whose instructions this CPU lacks.
public struct Int8KernelChoiceError: Error, Equatable, CustomStringConvertible {
    public var value: String
    public var reason: String
    public var description: String { "TEND_INT8_KERNEL=\(value): \(reason)" }
}

extension Int8Kernel {
    /// The environment variable that forces a kernel for comparison.
    public static let environmentKey = "TEND_INT8_KERNEL"

    /// The instruction set a variant needs, as cpuid names it.
    public var instructionSet: String {
        switch self {
        case .scalar: "none"
        case .avx2: "AVX2"
        case .avxVNNI: "AVX-VNNI (and AVX2)"
        }
    }

    /// The kernel `value` of `TEND_INT8_KERNEL` forces (`avx2`, `avx-vnni`, `scalar`), or `best` when nil or
    /// empty. Throws for an unknown name or a variant this CPU cannot run, naming the missing instruction set.
    public static func chosen(_ value: String?) throws(Int8KernelChoiceError) -> Int8Kernel {
        guard let raw = value?.trimmingCharacters(in: .whitespaces).lowercased(), !raw.isEmpty else { return .best }
        let names = allCases.map(\.description).joined(separator: ", ")
        guard let k = allCases.first(where: { $0.description == raw || $0.description.replacingOccurrences(of: "-", with: "") == raw }) else {
            let hint = raw.hasPrefix("avx512") ? " (this build has no AVX-512 int8 kernel)" : ""
            throw Int8KernelChoiceError(value: raw, reason: "unknown kernel\(hint); choose one of \(names)")
        }
        guard k.isAvailable else {
            throw Int8KernelChoiceError(value: raw, reason: "this CPU lacks \(k.instructionSet) (cpuid does not report it); available here: \(available.map(\.description).joined(separator: ", "))")
        }
        return k
    }
}
