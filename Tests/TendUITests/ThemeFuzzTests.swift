import Foundation
import Testing
@testable import TendUI

/// Mutated theme files (the shipped ones with random edits) always give a theme: every problem is a warning
/// naming `file:line`, the keys it could not read keep the base colours; nothing crashes or hangs.
@Suite struct ThemeFuzzTests {
    static let themes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Themes")

    /// A small seeded generator (TendUI's tests import no other module).
    struct LCG { var s: UInt64; mutating func next() -> UInt64 { s = s &* 6364136223846793005 &+ 1442695040888963407; return s >> 11 } }

    @Test func mutatedThemeFilesParseWithWarningsNamingTheLine() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.themes.path).filter { $0.hasSuffix(".theme") }.sorted()
        #expect(names.count >= 2)
        let seeds = try names.map { [UInt8](try Data(contentsOf: Self.themes.appendingPathComponent($0))) }
        let alphabet = Array("[]=\"#\n 0123456789abcdefgxyz\u{0}\u{7f}".utf8) + [0xff, 0xc3, 0x80]
        var rng = LCG(s: 42)
        var warned = 0
        for i in 0..<1500 {
            var bytes = seeds[i % seeds.count]
            for _ in 0..<(Int(rng.next() % 4) + 1) where !bytes.isEmpty {
                switch rng.next() % 4 {
                case 0: bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
                case 2: bytes.remove(at: Int(rng.next() % UInt64(bytes.count)))
                default:
                    let at = Int(rng.next() % UInt64(bytes.count + 1))
                    bytes.insert(contentsOf: (0..<3).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }, at: at)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            let r = ThemeParser.parse(text, file: "fuzz.theme")
            if !r.warnings.isEmpty { warned += 1 }
            for w in r.warnings {
                #expect(w.file == "fuzz.theme" && w.line >= 1 && w.line <= lines, "warning outside the file: \(w)")
            }
        }
        #expect(warned > 300)   // the edits reached keys and values
    }
}
