import ArgumentParser
import Foundation
import TendApp
import TendCore
import TendRuntime
import TendTensor
import TendTerminal

/// `tend dashboard --model DIR --serve-data FILE.csv --text-column text`: the dashboard over a transformer
/// served live (nothing trained). Wiring only; the serving loop is `TextServingRun` in the runtime.
extension DashboardCommand {
    func runTextServing(model: String) throws {
        let options = try TextServingOptions.validated(model: model, serveData: serveData, textColumn: textColumn,
                                                       rate: serveRate, batch: serveBatch, maxLength: maxLength)
        BLAS.setThreads(self.options.threads)
        let serving = try TextServingRun(options: options)
        let (backend, catalog, themeIndex) = try terminal.open()
        for w in catalog.warnings { serving.store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .warning, message: w)) }
        var exitMessage: String? = nil
        defer {
            backend.shutdown()
            if let exitMessage { Output.info(exitMessage) }
        }
        serving.start()
        let cpuStart = threadCPUSeconds(), bytesStart = backend.bytesWritten, clock = SystemClock()
        var (exit, stats) = TextServingDashboard.run(serving, on: backend, themes: catalog.themes, themeIndex: themeIndex,
                                                     settings: settings, clock: { clock.monotonic() }, cpuClock: threadCPUSeconds)
        serving.shutdown()
        stats.bytes = backend.bytesWritten - bytesStart
        stats.uiCPUSeconds = threadCPUSeconds() - cpuStart
        let size = backend.size()
        if let statsOut { try? stats.write(to: statsOut, width: size.width, height: size.height) }
        let summary = "served \(serving.loop.served) requests (\(serving.loop.failed) failed) of \(serving.card.name)"
        if case .signal(let sig) = exit {
            exitMessage = "tend: stopped by signal \(sig); " + summary
            throw ExitCode(128 + sig)
        }
        exitMessage = "tend: " + summary
    }
}
