/// Colour-depth reduction: the xterm palettes and nearest-colour search (squared Euclidean distance in RGB).
public enum Palette {
    /// The six levels of each axis of the xterm 6×6×6 colour cube (indices 16–231).
    public static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// xterm's default values for the 16 ANSI colours.
    public static let ansi16: [(r: UInt8, g: UInt8, b: UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The RGB value xterm shows for palette index `index`.
    public static func xterm256RGB(_ index: UInt8) -> (r: UInt8, g: UInt8, b: UInt8) {
        let i = Int(index)
        if i < 16 { return ansi16[i] }
        if i >= 232 { let v = UInt8(8 + 10 * (i - 232)); return (v, v, v) }
        let c = i - 16
        return (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
    }

    /// The xterm-256 index (16–255: cube or grey ramp) nearest to an RGB colour. The 16 system colours are
    /// skipped because terminals redefine them.
    public static func nearestXterm256(r: UInt8, g: UInt8, b: UInt8) -> UInt8 {
        let ri = nearestCubeLevel(r), gi = nearestCubeLevel(g), bi = nearestCubeLevel(b)
        let cube = (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        let cubeDistance = distance((r, g, b), cube)
        // Grey ramp 232–255: values 8, 18, …, 238.
        let mean = (Int(r) + Int(g) + Int(b)) / 3
        let step = min(23, max(0, (mean - 8 + 5) / 10))
        let grey = UInt8(8 + 10 * step)
        let greyDistance = distance((r, g, b), (grey, grey, grey))
        return greyDistance < cubeDistance ? UInt8(232 + step) : UInt8(cubeIndex)
    }

    /// The ANSI colour (0–15, or 0–7 when `count` is 8) nearest to an RGB colour under xterm's default palette.
    public static func nearestANSI(r: UInt8, g: UInt8, b: UInt8, count: Int = 16) -> UInt8 {
        var best = 0, bestDistance = Int.max
        for i in 0..<min(16, max(1, count)) {
            let d = distance((r, g, b), ansi16[i])
            if d < bestDistance { best = i; bestDistance = d }
        }
        return UInt8(best)
    }

    static func nearestCubeLevel(_ v: UInt8) -> Int {
        // Boundaries are the midpoints between levels: 0 |47| 95 |115| 135 |155| 175 |195| 215 |235| 255.
        let x = Int(v)
        if x < 48 { return 0 }
        if x < 115 { return 1 }
        return min(5, (x - 115) / 40 + 2)
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return dr * dr + dg * dg + db * db
    }
}

extension Color {
    /// The nearest colour a terminal of `depth` can show. `.none` maps every colour to `.default`.
    public func reduced(to depth: ColorDepth) -> Color {
        if case .default = self { return self }
        switch depth {
        case .none: return .default
        case .trueColor: return self
        case .xterm256:
            if case .rgb(let r, let g, let b) = self { return .indexed(Palette.nearestXterm256(r: r, g: g, b: b)) }
            return self
        case .ansi16, .ansi8:
            let count = depth == .ansi8 ? 8 : 16
            if case .ansi(let i) = self, Int(i) < count { return self }
            guard let c = rgbComponents else { return self }
            return .ansi(Palette.nearestANSI(r: c.r, g: c.g, b: c.b, count: count))
        }
    }
}
