import Testing
@testable import TendTensor

@Suite struct ShapeTests {
    @Test func countsElements() {
        #expect(Shape([3, 4]).count == 12)
        #expect(Shape([]).count == 1)
        #expect(Tensor.zeros(2, 5).cols == 5)
    }
}
