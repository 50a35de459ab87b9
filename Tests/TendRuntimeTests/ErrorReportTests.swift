import Testing
@testable import TendRuntime

@Suite struct ErrorReportTests {
    @Test func errorsNameTheirFileAndLineInJSON() {
        let r = ErrorReport(message: "Samples/bad.csv:14: label \"-1\" in column label is not an integer 0..<1000")
        #expect(r.error.file == "Samples/bad.csv" && r.error.line == 14)
        let noLine = ErrorReport(message: "/tmp/model: no config.json; a Hugging Face model directory has config.json")
        #expect(noLine.error.file == "/tmp/model" && noLine.error.line == nil)
        let plain = ErrorReport(message: "give either --text or --data, not both")
        #expect(plain.error.file == nil && plain.error.line == nil)
        #expect(plain.error.message == "give either --text or --data, not both")
    }
}
