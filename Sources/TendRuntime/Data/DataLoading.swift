import Foundation
import TendEngine
import TendInterop
import TendTensor

/// Loads a labelled CSV into a `Dataset`; errors name the file, line and column. Labels must be integers
/// in 0..<`maxClasses` (`--max-classes`).
public func loadDataset(path: String, label: String, maxClasses: Int = LabelValidation.defaultMaxClasses) throws -> Dataset {
    guard FileManager.default.fileExists(atPath: path) else {
        throw DataError.missingFile(path: path, role: "data file", hint: DataError.bundledSamplesHint)
    }
    let table = try CSVLoader.load(path: path).labeled(label: label, maxClasses: maxClasses)
    return Dataset(features: table.features, labels: table.labels, featureNames: table.featureNames)
}

/// Parses `64-128-128-10` or `128,128` into widths.
public func parseWidths(_ text: String, what: String) throws -> [Int] {
    let parts = text.split(whereSeparator: { $0 == "," || $0 == "-" || $0 == "x" }).map(String.init)
    let widths = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !parts.isEmpty, widths.count == parts.count, widths.allSatisfy({ $0 > 0 }) else {
        throw OptionError.notWidths(option: what, value: text)
    }
    return widths
}

/// Parses `constant`, `step:EVERY:GAMMA`, `cosine:WARMUP` (total steps from the run).
public func parseSchedule(_ text: String, totalSteps: Int) throws -> LRSchedule {
    let p = text.lowercased().split(separator: ":").map(String.init)
    switch p.first {
    case "constant": return .constant
    case "step":
        guard p.count == 3, let every = Int(p[1]), every > 0, let gamma = Float(p[2]) else {
            throw OptionError.invalid(option: "--schedule", value: text, expected: "step:EVERY_STEPS:GAMMA, e.g. step:500:0.5")
        }
        return .step(every: every, gamma: gamma)
    case "cosine":
        let warm = p.count > 1 ? Int(p[1]) : 0
        guard let warm, warm >= 0 else { throw OptionError.invalid(option: "--schedule", value: text, expected: "cosine or cosine:WARMUP_STEPS") }
        return .cosine(warmupSteps: warm, totalSteps: totalSteps, minFactor: 0)
    default:
        throw OptionError.invalid(option: "--schedule", value: text, expected: "constant, step:EVERY:GAMMA or cosine[:WARMUP]")
    }
}
