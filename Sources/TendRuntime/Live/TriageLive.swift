import Foundation
import TendCore
import TendInterop
import TendMetrics

/// The triage screen's side of a live run: the alert list published to the store for the dashboard,
/// muting from the screen, and the incident report written on `R`.
extension LiveRun {
    /// Publishes the alert engine's current list as the store attachment the triage screen and badge read.
    public func publishAlerts() {
        guard let health = session.health else { return }
        store.attach(health.engine.snapshot(), as: TriageRows.attachmentKey)
    }

    /// Mutes the alert at `row` of the triage list for `seconds` and logs it (muted alerts stay listed and logged).
    public func muteAlert(row: Int, seconds: Double) {
        guard let health = session.health else { return }
        let rows = TriageRows.rows(health.engine.snapshot())
        guard rows.indices.contains(row) else { return }
        let now = Date().timeIntervalSince1970
        health.engine.mute(rows[row].id, until: now + seconds)
        health.monitor.log(EngineEvent(wallTime: now, message: "action mute: \(rows[row].id) for \(Int(seconds)) s"))
        publishAlerts()
    }

    /// Writes `report.md` and `report.json` into the run directory from what the run logged so far;
    /// returns the Markdown path.
    public func writeIncidentReport() throws -> String {
        session.metricsFile.flush()
        let dir = session.runDirectory
        let report = try RunReport.load(runDirectory: dir)
        let mdPath = (dir as NSString).appendingPathComponent("report.md")
        let jsonPath = (mdPath as NSString).deletingPathExtension + ".json"
        try Data(report.markdown.utf8).write(to: URL(fileURLWithPath: mdPath), options: .atomic)
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try enc.encode(report).write(to: URL(fileURLWithPath: jsonPath), options: .atomic)
        store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, message: "action report: wrote \(mdPath) and \(jsonPath)"))
        return mdPath
    }
}
