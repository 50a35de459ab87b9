import ArgumentParser
import Foundation
import TendTerminal
import TendDashboard
import TendRuntime
import TendUI

/// The terminal options of the live screens (`tend dashboard`, `tend watch`).
struct TerminalOptions: ParsableArguments {
    @Option(help: "Theme name (default, light, high-contrast, mono, or a user theme) or a .theme file path.")
    var theme = "default"
    @Flag(help: "No colour (also when NO_COLOR is set).") var noColor = false
    @Flag(help: "ASCII charts and borders even in a UTF-8 locale.") var ascii = false
    @Option(help: "Limit colours: 8, 16, 256 or truecolor.") var colors: String?

    /// The colour depth forced by `--no-color` / `--colors`, nil to detect.
    func colorDepth() throws -> ColorDepth? {
        if noColor { return ColorDepth.none }
        guard let colors else { return nil }
        switch colors.lowercased() {
        case "8": return .ansi8
        case "16": return .ansi16
        case "256": return .xterm256
        case "truecolor", "24bit", "16m": return .trueColor
        case "none", "0": return ColorDepth.none
        default: throw OptionError.invalid(option: "--colors", value: colors, expected: "8, 16, 256, truecolor or none")
        }
    }

    /// Opens the terminal (the guard restores it on signals and crashes) with the themes loaded.
    func open() throws -> (NCursesBackend, ThemeCatalog, Int) {
        var catalog = ThemeCatalog.load()
        let index = catalog.select(theme) ?? 0
        let depth = try colorDepth()
        do { return (try NCursesBackend(colorDepth: depth, forceASCII: ascii), catalog, index) }
        catch { throw RunError.terminalUnavailable(reason: "\(error)") }
    }
}
