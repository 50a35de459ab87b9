/// One stored point of a time series: `x` is the step, `y` the value.
public struct SeriesPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}
