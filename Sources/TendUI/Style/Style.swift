/// How a cell is drawn: foreground and background colour plus attributes.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground; self.background = background; self.attributes = attributes
    }

    /// Terminal defaults, no attributes.
    public static let plain = Style()

    /// A copy with another foreground.
    public func with(foreground: Color) -> Style { var s = self; s.foreground = foreground; return s }
    /// A copy with another background.
    public func with(background: Color) -> Style { var s = self; s.background = background; return s }
    /// A copy with `extra` attributes added.
    public func adding(_ extra: Attributes) -> Style { var s = self; s.attributes.formUnion(extra); return s }

    /// The style as a terminal of `depth` can show it. With no colours at all, colours become the defaults and a
    /// coloured background turns into `.reverse`, so selections and highlights stay visible.
    public func reduced(to depth: ColorDepth) -> Style {
        guard depth != .none else {
            var attrs = attributes
            if background != .default { attrs.formSymmetricDifference(.reverse) }
            return Style(foreground: .default, background: .default, attributes: attrs)
        }
        return Style(foreground: foreground.reduced(to: depth), background: background.reduced(to: depth),
                     attributes: attributes)
    }
}
