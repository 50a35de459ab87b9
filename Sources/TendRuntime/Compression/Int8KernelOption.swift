import Foundation
import TendEngine

extension Int8Kernel {
    /// The kernel `TEND_INT8_KERNEL` forces (`override`, else the environment's value), else the best one;
    /// an unknown name or a kernel this CPU lacks is an `OptionError` naming the missing instruction set.
    public static func forcedOrBest(_ override: String? = nil) throws -> Int8Kernel {
        let value = override ?? ProcessInfo.processInfo.environment[environmentKey]
        let result: Result<Int8Kernel, Int8KernelChoiceError> = Result { () throws(Int8KernelChoiceError) in try chosen(value) }
        switch result {
        case .success(let k): return k
        case .failure(let e): throw OptionError.rejected(option: environmentKey, value: e.value, reason: e.reason)
        }
    }
}
