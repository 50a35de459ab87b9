import Foundation
import TendUI

/// The themes a dashboard can cycle through: the shipped `Themes/*.theme` files, then the user's
/// `$XDG_CONFIG_HOME/tend/themes/*.theme` (default `~/.config/tend/themes`). Broken lines give warnings
/// naming file:line and fall back to the default for that key; an unreadable file is skipped with a warning.
public struct ThemeCatalog {
    public var themes: [Theme] = []
    public var warnings: [String] = []

    /// Where shipped themes live: `./Themes`, or `Themes` beside the package the binary was built in.
    public static func shippedDirectories() -> [String] {
        var dirs = ["Themes"]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // .build/<config>/tend → package root
        let root = exe.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        dirs.append(root.appendingPathComponent("Themes").path)
        return dirs
    }

    public static func userDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/tend/themes"
    }

    public static func load() -> ThemeCatalog {
        var c = ThemeCatalog()
        let fm = FileManager.default
        var seen = Set<String>()
        let shipped = shippedDirectories().first { fm.fileExists(atPath: $0 + "/default.theme") }
        for dir in [shipped, userDirectory()].compactMap({ $0 }) {
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            // default first, then alphabetical
            for name in names.filter({ $0.hasSuffix(".theme") }).sorted(by: { a, b in
                a == "default.theme" ? true : (b == "default.theme" ? false : a < b) }) {
                c.add(path: dir + "/" + name, seen: &seen)
            }
        }
        if c.themes.isEmpty { c.themes = [.default] }
        return c
    }

    private mutating func add(path: String, seen: inout Set<String>) {
        do {
            let r = try ThemeParser.load(path: path)
            warnings += r.warnings.map(\.description)
            if let i = themes.firstIndex(where: { $0.name == r.theme.name }) { themes[i] = r.theme }  // user overrides shipped
            else { themes.append(r.theme) }
            seen.insert(r.theme.name)
        } catch {
            warnings.append("\(error)")
        }
    }

    /// Index of `nameOrPath`: a theme name in the catalog, or a file path that is loaded and added.
    public mutating func select(_ nameOrPath: String) -> Int? {
        if let i = themes.firstIndex(where: { $0.name == nameOrPath }) { return i }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            warnings.append("theme \(nameOrPath): no such theme (have \(themes.map(\.name).joined(separator: ", "))) or file; using \(themes[0].name)")
            return nil
        }
        var seen = Set<String>()
        let before = themes.count
        add(path: nameOrPath, seen: &seen)
        guard themes.count > before || seen.count == 1 else { return nil }
        let name = seen.first!
        return themes.firstIndex { $0.name == name }
    }
}
