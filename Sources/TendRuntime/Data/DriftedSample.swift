import Foundation
import TendEngine
import TendInterop

/// Writes a drifted copy of `data` and returns its path.
public func writeDriftedSample(data: String, label: String, shift: Float = 0.5, noise: Float = 0.5, seed: UInt64 = 1,
                        out: String? = nil) throws -> String {
    let ds = try loadDataset(path: data, label: label)
    let drifted = driftedCopy(of: ds, shift: shift, noise: noise, seed: seed)
    let path = out ?? ((data as NSString).deletingPathExtension + "-drift.csv")
    try CSVWriter.write(path: path, featureNames: ds.featureNames, features: drifted.features, labelName: label, labels: drifted.labels)
    return path
}
