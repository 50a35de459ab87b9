/// The meaning of a piece of text, turned into a style by the theme (so widgets never pick colours).
public enum Tone: Hashable, Sendable {
    case normal, dim, title, accent, good, warning, critical
}

extension Theme {
    /// The style for text of `tone` on the theme background.
    public func style(_ tone: Tone) -> Style {
        switch tone {
        case .normal: return text
        case .dim: return dimText
        case .title: return titleText
        case .accent: return accentText
        case .good: return goodText
        case .warning: return warningText
        case .critical: return criticalText
        }
    }
}
