/// The dashboard's colours by role. Loaded from btop-style `.theme` files by `ThemeParser`; `Theme.default`
/// is the built-in dark theme. Widgets take styles from here, never literal colours.
public struct Theme: Hashable, Sendable {
    /// A named colour slot; `key` is the name used in theme files (`theme[key]="#rrggbb"`).
    public enum Role: String, CaseIterable, Sendable {
        case background, foreground, dim, border
        case borderFocused = "border_focused"
        case title, accent, good, warning, critical, selection
        case series1 = "series_1", series2 = "series_2", series3 = "series_3"
        case series4 = "series_4", series5 = "series_5", series6 = "series_6"
        public var key: String { rawValue }
    }

    public var name: String
    public var background: Color, foreground: Color, dim: Color
    public var border: Color, borderFocused: Color, title: Color
    public var accent: Color, good: Color, warning: Color, critical: Color
    /// Background of the selected table row / highlighted button.
    public var selection: Color
    /// Six chart series colours; a series index wraps around.
    public var series: [Color]

    /// The built-in dark theme (identical to Themes/default.theme).
    public static let `default` = Theme(
        name: "default",
        background: .default, foreground: .rgb(0xcc, 0xcc, 0xcc), dim: .rgb(0x6c, 0x6c, 0x6c),
        border: .rgb(0x4e, 0x4e, 0x4e), borderFocused: .rgb(0x5f, 0xaf, 0xff), title: .rgb(0xee, 0xee, 0xee),
        accent: .rgb(0x5f, 0xaf, 0xff), good: .rgb(0x5f, 0xd7, 0x5f), warning: .rgb(0xff, 0xaf, 0x00),
        critical: .rgb(0xff, 0x5f, 0x5f), selection: .rgb(0x30, 0x30, 0x30),
        series: [.rgb(0x5f, 0xaf, 0xff), .rgb(0xff, 0xaf, 0x00), .rgb(0x5f, 0xd7, 0x5f),
                 .rgb(0xd7, 0x5f, 0xd7), .rgb(0x5f, 0xd7, 0xd7), .rgb(0xff, 0x5f, 0x5f)])

    public init(name: String, background: Color, foreground: Color, dim: Color, border: Color,
                borderFocused: Color, title: Color, accent: Color, good: Color, warning: Color,
                critical: Color, selection: Color, series: [Color]) {
        self.name = name; self.background = background; self.foreground = foreground; self.dim = dim
        self.border = border; self.borderFocused = borderFocused; self.title = title; self.accent = accent
        self.good = good; self.warning = warning; self.critical = critical; self.selection = selection
        self.series = series.isEmpty ? [foreground] : series
    }

    /// The colour of a role.
    public subscript(role: Role) -> Color {
        get {
            switch role {
            case .background: return background
            case .foreground: return foreground
            case .dim: return dim
            case .border: return border
            case .borderFocused: return borderFocused
            case .title: return title
            case .accent: return accent
            case .good: return good
            case .warning: return warning
            case .critical: return critical
            case .selection: return selection
            case .series1: return seriesColor(0)
            case .series2: return seriesColor(1)
            case .series3: return seriesColor(2)
            case .series4: return seriesColor(3)
            case .series5: return seriesColor(4)
            case .series6: return seriesColor(5)
            }
        }
        set {
            switch role {
            case .background: background = newValue
            case .foreground: foreground = newValue
            case .dim: dim = newValue
            case .border: border = newValue
            case .borderFocused: borderFocused = newValue
            case .title: title = newValue
            case .accent: accent = newValue
            case .good: good = newValue
            case .warning: warning = newValue
            case .critical: critical = newValue
            case .selection: selection = newValue
            case .series1: setSeries(0, newValue)
            case .series2: setSeries(1, newValue)
            case .series3: setSeries(2, newValue)
            case .series4: setSeries(3, newValue)
            case .series5: setSeries(4, newValue)
            case .series6: setSeries(5, newValue)
            }
        }
    }

    /// Series colour `index`, wrapping around the six.
    public func seriesColor(_ index: Int) -> Color { series[((index % series.count) + series.count) % series.count] }

    private mutating func setSeries(_ i: Int, _ c: Color) {
        while series.count <= i { series.append(foreground) }
        series[i] = c
    }

    // Styles for common roles. Attributes are added so meaning survives a monochrome terminal.
    public var text: Style { Style(foreground: foreground, background: background) }
    public var dimText: Style { Style(foreground: dim, background: background, attributes: dim == .default ? .dim : []) }
    public var titleText: Style { Style(foreground: title, background: background, attributes: .bold) }
    public var accentText: Style { Style(foreground: accent, background: background, attributes: .bold) }
    public var goodText: Style { Style(foreground: good, background: background) }
    public var warningText: Style { Style(foreground: warning, background: background, attributes: .bold) }
    public var criticalText: Style { Style(foreground: critical, background: background, attributes: .bold) }
    public func borderStyle(focused: Bool) -> Style {
        focused ? Style(foreground: borderFocused, background: background, attributes: .bold)
            : Style(foreground: border, background: background, attributes: border == .default ? .dim : [])
    }
    /// A selected row or button: the selection colour as background, or reverse video when it is the default.
    public var selected: Style {
        selection == .default ? Style(foreground: foreground, background: background, attributes: [.reverse, .bold])
            : Style(foreground: title, background: selection, attributes: .bold)
    }
    public func seriesStyle(_ index: Int) -> Style { Style(foreground: seriesColor(index), background: background) }
}
