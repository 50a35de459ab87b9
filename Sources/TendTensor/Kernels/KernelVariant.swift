import CKernels

/// Which implementation of the C kernels in `Sources/CKernels` runs (Adam update, ReLU, column
/// sums, elementwise product). Both variants perform the same IEEE operations in the same order,
/// so their results are equal bit for bit; the choice only changes speed. An unavailable variant
/// falls back to `.scalar`.
public enum KernelVariant: Sendable, CaseIterable, CustomStringConvertible {
    /// Portable reference loops.
    case scalar
    /// 8-lane AVX2 (x86-64 CPUs reporting AVX2 at run time).
    case avx2

    /// The fastest variant this CPU runs (checked once).
    public static let best: KernelVariant = ck_best_variant() == CK_AVX2 ? .avx2 : .scalar

    /// Whether this CPU (and build) can run the variant.
    public var isAvailable: Bool { ck_variant_available(c) != 0 }

    public var description: String { String(cString: ck_variant_name(c)) }

    var c: ck_variant {
        switch self {
        case .scalar: CK_SCALAR
        case .avx2: CK_AVX2
        }
    }
}
