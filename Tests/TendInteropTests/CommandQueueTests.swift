import Testing
import TendCore

@Suite struct CommandQueueTests {
    @Test func drainsInOrder() {
        let q = CommandQueue()
        q.push(.pause); q.push(.checkpoint)
        #expect(q.drain() == [.pause, .checkpoint])
        #expect(q.isEmpty)
    }
}
