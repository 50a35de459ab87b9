/// How many colours the terminal can show, from fewest to most.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
    case none = 0, ansi8 = 8, ansi16 = 16, xterm256 = 256, trueColor = 16_777_216
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}
