/// A user-facing failure: printed as `tend: <message>` and exit code 1 (2 for usage errors).
public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
