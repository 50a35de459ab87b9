import Foundation
import TendMetrics
import TendUI

/// The inspect screen's wording of effect results as event lines (the session publishes plain values).
public enum InspectEvents {
    /// `wrote PATH (N weights |w| < T zeroed, K tensors int8, X.X MB) in S.S s`.
    public static func wrote(_ request: InspectWriteRequest, _ r: InspectWriteResult) -> String {
        var what: [String] = []
        if let t = request.threshold { what.append("\(DashboardFormat.grouped(r.zeroed)) weights |w| < \(NumberFormat.compact(t, significant: 4)) zeroed") }
        if request.quantizeInt8 { what.append("\(r.quantizedTensors) tensors int8") }
        return String(format: "wrote %@ (%@, %.1f MB) in %.1f s", r.path, what.joined(separator: ", "), Double(r.bytes) / 1e6, r.seconds)
    }
}
