import Testing
@testable import TendEngine

@Suite struct ActivationNameTests {
    @Test func parsesNames() { #expect(Activation(rawValue: "relu") == .relu) }
}
