import ArgumentParser
import TendRuntime

/// Runs `body` (a command's work; shared with the executable's commands), printing any error as `tend: message` on
/// stderr and exiting 1; under `--json` stdout also gets the error as its one object (`ErrorReport`).
public func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() }
    catch let e as ExitCode { throw e }
    catch let e as CleanExit { throw e }
    catch {
        Output.endProgress()
        Output.info("tend: \(error)")
        if CommandLine.arguments.dropFirst().contains("--json") { Output.json(ErrorReport(error: error)) }
        throw ExitCode(1)
    }
}
