import Testing
@testable import TendUI

@Suite struct ThemeParserTests {
    @Test func parsesKeysCommentsAndReportsBrokenLines() {
        let text = """
        # a comment

        theme[accent]="#ff8000"
        theme[good] = "0 215 95"   # decimal
        theme[dim]="#80"
        theme[background]=""
        theme[sparkles]="#ffffff"
        theme[warning]="#zzzzzz"
        this is not a theme line
        theme[series_2]="#102030"
        """
        let r = ThemeParser.parse(text, file: "my.theme")
        #expect(r.theme.name == "my")
        #expect(r.theme.accent == .rgb(0xff, 0x80, 0x00))
        #expect(r.theme.good == .rgb(0, 215, 95))
        #expect(r.theme.dim == .rgb(0x80, 0x80, 0x80))
        #expect(r.theme.background == .default)
        #expect(r.theme.seriesColor(1) == .rgb(0x10, 0x20, 0x30))
        #expect(r.theme.warning == Theme.default.warning)
        #expect(r.warnings.map(\.line) == [7, 8, 9])
        #expect(r.warnings[0].description.hasPrefix("my.theme:7: unknown key 'sparkles'"))
        #expect(r.warnings[1].description.hasPrefix("my.theme:8: bad colour '#zzzzzz' for 'warning'"))
        #expect(r.warnings[2].description.hasPrefix("my.theme:9: expected theme[key]="))
    }

    @Test func colourValueForms() {
        #expect(ThemeParser.parseColor("#0A0b0C") == .rgb(10, 11, 12))
        #expect(ThemeParser.parseColor("default") == .default)
        #expect(ThemeParser.parseColor("#12345") == nil)
        #expect(ThemeParser.parseColor("256 0 0") == nil)
        #expect(ThemeParser.parseColor("1 2") == nil)
    }

    @Test func missingFileNamesThePath() {
        #expect(throws: ThemeError.fileNotFound(path: "/nonexistent/x.theme")) {
            try ThemeParser.load(path: "/nonexistent/x.theme")
        }
        #expect(ThemeError.fileNotFound(path: "/p/x.theme").description.contains("/p/x.theme"))
    }

    static let themesDirectory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)   // Tests/TendUITests/ThemeTests.swift
        return parts.joined(separator: "/") + "/Themes"
    }()

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func shippedThemesParseCleanlyAndSetEveryKey(name: String) throws {
        let path = Self.themesDirectory + "/\(name).theme"
        let r = try ThemeParser.load(path: path)
        #expect(r.warnings.isEmpty, "\(r.warnings)")
        #expect(r.theme.name == name)
        let text = try FileText.read(path: path)
        for role in Theme.Role.allCases {
            #expect(text.contains("theme[\(role.key)]="), "\(name).theme lacks \(role.key)")
        }
    }

    @Test func defaultThemeFileMatchesTheBuiltInTheme() throws {
        var builtIn = Theme.default
        let loaded = try ThemeParser.load(path: Self.themesDirectory + "/default.theme", base: Theme(
            name: "", background: .ansi(1), foreground: .ansi(1), dim: .ansi(1), border: .ansi(1), borderFocused: .ansi(1),
            title: .ansi(1), accent: .ansi(1), good: .ansi(1), warning: .ansi(1), critical: .ansi(1), selection: .ansi(1),
            series: Array(repeating: .ansi(1), count: 6)))
        builtIn.name = "default"
        #expect(loaded.theme == builtIn)
    }

    @Test func monoThemeUsesOnlyDefaultColours() throws {
        let mono = try ThemeParser.load(path: Self.themesDirectory + "/mono.theme").theme
        #expect(Theme.Role.allCases.allSatisfy { mono[$0] == .default })
        #expect(mono.selected.attributes.contains(.reverse))
    }
}

@Suite struct PaletteTests {
    @Test func nearestXterm256HandChecked() {
        #expect(Palette.nearestXterm256(r: 255, g: 0, b: 0) == 196)       // cube (5,0,0): 16 + 180
        #expect(Palette.nearestXterm256(r: 95, g: 135, b: 175) == 67)     // cube (1,2,3): 16 + 36 + 12 + 3
        #expect(Palette.nearestXterm256(r: 100, g: 140, b: 170) == 67)    // near the same cube point
        #expect(Palette.nearestXterm256(r: 128, g: 128, b: 128) == 244)   // grey ramp 8 + 10·12 = 128
        #expect(Palette.nearestXterm256(r: 0, g: 0, b: 0) == 16)          // cube black beats grey 8
        #expect(Palette.nearestXterm256(r: 255, g: 255, b: 255) == 231)   // cube white beats grey 238
        #expect(Palette.nearestXterm256(r: 0x30, g: 0x30, b: 0x30) == 236) // grey 48 = 8 + 10·4
    }

    @Test func nearestAnsiHandChecked() {
        #expect(Palette.nearestANSI(r: 250, g: 10, b: 10) == 9)
        #expect(Palette.nearestANSI(r: 250, g: 10, b: 10, count: 8) == 1)
        #expect(Palette.nearestANSI(r: 100, g: 100, b: 100) == 8)
        #expect(Palette.nearestANSI(r: 100, g: 100, b: 100, count: 8) == 0)
        #expect(Palette.nearestANSI(r: 0, g: 0, b: 200) == 4)
    }

    @Test func paletteRoundTrip() {
        for i in 16...255 {
            let c = Palette.xterm256RGB(UInt8(i))
            #expect(Palette.nearestXterm256(r: c.r, g: c.g, b: c.b) == UInt8(i), "\(i)")
        }
        #expect(Palette.xterm256RGB(67) == (95, 135, 175))
    }

    @Test func colourAndStyleReduction() {
        #expect(Color.rgb(255, 0, 0).reduced(to: .xterm256) == .indexed(196))
        #expect(Color.rgb(255, 0, 0).reduced(to: .ansi16) == .ansi(9))
        #expect(Color.indexed(196).reduced(to: .ansi8) == .ansi(1))
        #expect(Color.rgb(1, 2, 3).reduced(to: .trueColor) == .rgb(1, 2, 3))
        #expect(Color.rgb(1, 2, 3).reduced(to: .none) == .default)
        let selected = Style(foreground: .rgb(255, 255, 255), background: .rgb(48, 48, 48), attributes: .bold)
        #expect(selected.reduced(to: .none) == Style(attributes: [.bold, .reverse]))
    }
}

@Suite struct CapabilityTests {
    @Test func colourDepthDetection() {
        #expect(ColorDepth.detect(override: .ansi16, noColor: nil, colorTerm: nil, hasColors: true, colors: 256).depth == .ansi16)
        #expect(ColorDepth.detect(override: .trueColor, noColor: nil, colorTerm: nil, hasColors: true, colors: 256).depth == .xterm256)
        #expect(ColorDepth.detect(override: .ansi16, noColor: "1", colorTerm: nil, hasColors: true, colors: 256).depth == .none)
        #expect(ColorDepth.detect(override: nil, noColor: "1", colorTerm: nil, hasColors: true, colors: 256).depth == .none)
        #expect(ColorDepth.detect(override: nil, noColor: "", colorTerm: nil, hasColors: true, colors: 256).depth == .xterm256)
        #expect(ColorDepth.detect(override: nil, noColor: nil, colorTerm: nil, hasColors: false, colors: 256).depth == .none)
        #expect(ColorDepth.detect(override: nil, noColor: nil, colorTerm: nil, hasColors: true, colors: 8).depth == .ansi8)
        #expect(ColorDepth.detect(override: nil, noColor: nil, colorTerm: nil, hasColors: true, colors: 16).depth == .ansi16)
        #expect(ColorDepth.detect(override: nil, noColor: nil, colorTerm: nil, hasColors: true, colors: 1 << 24).depth == .trueColor)
        // COLORTERM raises a colour terminal to 24-bit (Tend encodes frames itself); not a colourless one.
        let truecolorOn256 = ColorDepth.detect(override: nil, noColor: nil, colorTerm: "truecolor", hasColors: true, colors: 256)
        #expect(truecolorOn256.depth == .trueColor)
        #expect(truecolorOn256.notes.first?.contains("COLORTERM=truecolor") == true)
        #expect(ColorDepth.detect(override: nil, noColor: nil, colorTerm: "24bit", hasColors: true, colors: 8).depth == .trueColor)
        #expect(ColorDepth.detect(override: nil, noColor: nil, colorTerm: "truecolor", hasColors: false, colors: 0).depth == .none)
        #expect(ColorDepth.detect(override: .xterm256, noColor: nil, colorTerm: "truecolor", hasColors: true, colors: 256).depth == .xterm256)
        #expect(ColorDepth.detect(override: nil, noColor: "1", colorTerm: "truecolor", hasColors: true, colors: 256).depth == .none)
    }

    @Test func glyphsFollowTheLocale() {
        #expect(Glyphs.forLocale(codeset: "UTF-8", forceASCII: false) == .unicode)
        #expect(Glyphs.forLocale(codeset: "utf8", forceASCII: false) == .unicode)
        #expect(Glyphs.forLocale(codeset: "UTF-8", forceASCII: true) == .ascii)
        #expect(Glyphs.forLocale(codeset: "ANSI_X3.4-1968", forceASCII: false) == .ascii)
    }
}
