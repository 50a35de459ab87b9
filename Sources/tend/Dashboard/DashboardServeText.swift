import ArgumentParser
import Foundation
import TendCore
import TendEngine
import TendRuntime
import TendTensor
import TendTerminal

/// `tend dashboard --model DIR --serve-data FILE.csv --text-column text`: the dashboard over a transformer
/// served live (nothing trained). Wiring only; the serving loop is `TextServingRun` in the runtime.
extension DashboardCommand {
    func runTextServing(model: String) throws {
        guard let serveData else {
            throw OptionError.invalid(option: "--model", value: model, expected: "--serve-data FILE.csv with the texts to serve (and --text-column NAME)")
        }
        if let maxLength, maxLength < 2 {
            throw OptionError.invalid(option: "--max-length", value: "\(maxLength)", expected: "at least 2 ([CLS] and [SEP])")
        }
        guard serveRate >= 0 else { throw OptionError.invalid(option: "--serve-rate", value: "\(serveRate)", expected: "requests per second, or 0 for closed loop") }
        guard serveBatch >= 1 else { throw OptionError.invalid(option: "--serve-batch", value: "\(serveBatch)", expected: "texts per request, at least 1") }
        var catalog = ThemeCatalog.load()
        let themeIndex = catalog.select(terminal.theme) ?? 0
        let depth = try terminal.colorDepth()
        BLAS.setThreads(options.threads)
        let serving = try TextServingRun(options: TextServingOptions(
            modelDirectory: model, dataPath: serveData, textColumn: textColumn,
            serving: ServingConfig(rate: serveRate > 0 ? serveRate : nil, batchSize: serveBatch), maxLength: maxLength))
        for w in catalog.warnings { serving.store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .warning, message: w)) }

        let backend: NCursesBackend
        do { backend = try NCursesBackend(colorDepth: depth, forceASCII: terminal.ascii) }
        catch { throw RunError.terminalUnavailable(reason: "\(error)") }
        var exitMessage: String? = nil
        defer {
            backend.shutdown()
            if let exitMessage { Output.info(exitMessage) }
        }
        serving.start()
        var stats = FrameStats()
        let cpuStart = threadCPUSeconds(), bytesStart = backend.bytesWritten, clock = SystemClock()
        let started = clock.monotonic()
        let exit = TextServingDashboard.run(serving, on: backend, themes: catalog.themes, themeIndex: themeIndex,
                                            counterInterval: counterInterval, chartInterval: chartInterval, exitAfter: exitAfter,
                                            clock: { clock.monotonic() }, cpuClock: threadCPUSeconds, onFrame: { stats.add($0) })
        serving.shutdown()
        stats.seconds = clock.monotonic() - started
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
