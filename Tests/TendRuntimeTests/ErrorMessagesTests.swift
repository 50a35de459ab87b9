import Foundation
import Testing
import TendEngine
import TendInterop
import TendTensor
@testable import TendRuntime

/// The typed errors a user sees as `tend: <description>`: each names the file or option and says what to do.
@Suite struct ErrorMessagesTests {
    static func tempPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tend-errors-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    static func weightsFile(metadata: [String: String] = [:]) throws -> String {
        let path = tempPath("weights.safetensors")
        try SafetensorsWriter.write(tensors: [("fc1.weight", Tensor(shape: [3, 4])), ("fc1.bias", Tensor(shape: [3]))],
                                    metadata: metadata, to: path)
        return path
    }

    @Test func aCheckpointWithoutArchSaysToUseWeightsAndArch() throws {
        let path = try Self.weightsFile()
        let error = #expect(throws: ModelFileError.self) { try ModelLoader(checkpoint: path).load() }
        #expect(error == .notATendCheckpoint(path: path))
        let text = "\(error!)"
        #expect(text.hasPrefix(path) && text.contains("no \"arch\" metadata") && text.contains("use --weights FILE --arch A-B-C"))
        #expect(ErrorReport(error: error!).error.file == path)
    }

    @Test func unreadableArchMetadataNamesTheFileAndTheEntry() throws {
        let path = try Self.weightsFile(metadata: [Checkpoint.Key.arch: "{not json"])
        let error = #expect(throws: ModelFileError.self) { try ModelLoader(checkpoint: path).load() }
        #expect(error == .unreadableMetadata(path: path, key: Checkpoint.Key.arch, excerpt: "{not json"))
        #expect("\(error!)".hasPrefix("\(path): metadata \"arch\" is unreadable: {not json"))
    }

    @Test func badFlagValuesNameTheOptionAndWhatItTakes() throws {
        let path = try Self.weightsFile()
        let activation = #expect(throws: OptionError.self) {
            try ModelLoader(weights: path, arch: "4-3", activation: "swish").load()
        }
        #expect("\(activation!)" == "--activation swish: expected relu, gelu, tanh or sigmoid")
        let arch = #expect(throws: OptionError.self) { try ModelLoader(weights: path, arch: "4").load() }
        #expect("\(arch!)".hasPrefix("--arch 4: need at least an input and an output width"))
        let widths = #expect(throws: OptionError.self) { try parseWidths("64-0", what: "--hidden") }
        #expect("\(widths!)".contains("--hidden \"64-0\" is not a list of positive widths"))
        let schedule = #expect(throws: OptionError.self) { try parseSchedule("step:0", totalSteps: 10) }
        #expect(schedule == .invalid(option: "--schedule", value: "step:0", expected: "step:EVERY_STEPS:GAMMA, e.g. step:500:0.5"))
    }

    @Test func trainingFlagsThatWouldTripTheEngineAreErrors() {
        var o = RunOptions()
        o.labelSmoothing = 1
        #expect("\(#expect(throws: OptionError.self) { try o.config(inputs: 4, classes: 2, trainRows: 10) }!)"
                    .hasPrefix("--label-smoothing 1.0: expected 0 ≤ ε < 1"))
        o = RunOptions(); o.optimizer = "sgd"; o.nesterov = true; o.momentum = 0
        #expect("\(#expect(throws: OptionError.self) { try o.config(inputs: 4, classes: 2, trainRows: 10) }!)"
                    .contains("--nesterov: needs a positive --momentum"))
        o = RunOptions(); o.lr = 0
        #expect(throws: OptionError.self) { try o.config(inputs: 4, classes: 2, trainRows: 10) }
        o = RunOptions(); o.data = "only-labels.csv"
        let none = #expect(throws: DataError.self) { try o.config(inputs: 0, classes: 2, trainRows: 10) }
        #expect("\(none!)".hasPrefix("only-labels.csv has no feature columns besides label"))
    }

    @Test func aMissingDataFilePointsAtTheBundledSamples() {
        let error = #expect(throws: DataError.self) { try loadDataset(path: "/nonexistent/d.csv", label: "label") }
        #expect("\(error!)" == "data file /nonexistent/d.csv does not exist (the bundled samples are Samples/digits.csv and Samples/breast_cancer.csv)")
    }

    @Test func driftCheckNamesTheMissingColumnAndBothFiles() throws {
        let ref = Self.tempPath("ref.csv"), cur = Self.tempPath("cur.csv")
        try "a,b\n1,2\n3,4\n".write(toFile: ref, atomically: true, encoding: .utf8)
        try "a,c\n1,2\n3,4\n".write(toFile: cur, atomically: true, encoding: .utf8)
        let error = #expect(throws: DataError.self) {
            try DriftCheck.run(reference: ref, current: cur, bins: 10, epsilon: 1e-4, threshold: 0.25)
        }
        #expect("\(error!)" == "\(cur): no column \"b\" (it is in \(ref); columns: a, c)")
        let bins = #expect(throws: OptionError.self) {
            try DriftCheck.run(reference: ref, current: cur, bins: 1, epsilon: 1e-4, threshold: 0.25)
        }
        #expect("\(bins!)" == "--bins must be at least 2")
    }

    @Test func dataThatDoesNotFitTheModelSaysWhichRowAndWidth() {
        let ds = Dataset(features: Tensor(shape: [2, 3]), labels: [0, 5])
        let width = #expect(throws: DataError.self) { try ds.checkFits(inputs: 4, classes: 3, path: "d.csv", labelColumn: "y") }
        #expect("\(width!)" == "d.csv has 3 feature columns (besides y); the model takes 4")
        let label = #expect(throws: DataError.self) { try ds.checkFits(inputs: 3, classes: 3, path: "d.csv", labelColumn: "y") }
        #expect("\(label!)".hasPrefix("d.csv: data row 1 has label 5, outside the model's 3 classes 0..2"))
        #expect(ErrorReport(error: label!).error.file == "d.csv")
        let line = ErrorReport(error: DataError.notAClassIndex(path: "d.csv", line: 7, column: "pred", value: 1.5))
        #expect(line.error.file == "d.csv" && line.error.line == 7)
        #expect(ErrorReport(error: OptionError.fractionsLeaveNoTraining).error.file == nil)
    }

    @Test func runErrorsNameTheDirectoryAndTheFix() {
        let text = RunError.notARunDirectory(path: "runs/x").description
        #expect(text.hasPrefix("runs/x is not a run directory (no metrics.jsonl)") && text.contains("tend train"))
        #expect(ModelFileError.noRecordedData(path: "m.safetensors", flag: "--data").description
                    == "m.safetensors does not record its training data; give --data CSV")
    }
}
