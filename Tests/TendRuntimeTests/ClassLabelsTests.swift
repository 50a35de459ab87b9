import Foundation
import Testing
import TendCore
import TendEngine
import TendInterop
import TendTensor
@testable import TendRuntime

/// Classes are the distinct labels of the training CSV, mapped to 0…K−1, stored with the model and used
/// wherever data meets the model; checkpoints without the mapping load as the identity.
@Suite(.serialized) struct ClassLabelsTests {
    /// 60 rows, two features, labels 3 and 7 (a 2-class problem, not an 8-class one).
    static func csv(in dir: String, labels: [Int] = [3, 7]) -> String {
        var text = "a,b,label\n"
        for i in 0..<60 {
            let l = labels[i % labels.count]
            text += "\(Double(i % 7) * 0.1 + Double(l)),\(Double(i % 5) * 0.2),\(l)\n"
        }
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/data.csv"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func theMappingIsTheSortedDistinctLabelsAndReadsBack() throws {
        let m = ClassLabels(distinctIn: [7, 3, 7, 12, 3])
        #expect(m.values == [3, 7, 12])
        #expect(m.index(of: 7) == 1 && m.index(of: 5) == nil && m.label(of: 2) == 12)
        #expect(m.metadataText == "3,7,12")
        #expect(ClassLabels(metadataText: "3,7,12") == m)
        #expect(ClassLabels(metadataText: "3,x") == nil && ClassLabels(metadataText: "7,3") == nil)
        #expect(ClassLabels.identity(3).isIdentity && !m.isIdentity)
        // A checkpoint from before the mapping was stored: class k is label k.
        #expect(ClassLabels.of(["classes": "10"], classes: 10) == .identity(10))
        #expect(ClassLabels.of([Checkpoint.Key.classLabels: "3,7"], classes: 2).values == [3, 7])
    }

    @Test func trainingStoresTheMappingWithTheCheckpointAndDataIsMappedThroughIt() throws {
        let dir = NSTemporaryDirectory() + "tend-labels-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var o = RunOptions()
        o.data = Self.csv(in: dir)
        o.hidden = "4"
        o.epochs = 1
        o.threads = 1
        o.out = dir + "/run"
        let session = try TrainingSession(options: o)
        defer { session.closeInterop() }
        #expect(session.dataset.classes == 2)
        #expect(session.trainer.model.outputCount == 2)
        session.trainer.run()
        let ck = try readCheckpoint(path: dir + "/run/checkpoints/last.safetensors")
        #expect(ck.metadata[Checkpoint.Key.classLabels] == "3,7")
        // eval/prune/quantize/distill map a CSV's labels through the model's loader the same way.
        let loaded = try ModelLoader(checkpoint: dir + "/run/checkpoints/last.safetensors").load()
        #expect(loaded.classLabels.values == [3, 7])
        let evalData = try loadDataset(path: o.data!, label: "label").mapped(to: loaded.classLabels, path: o.data!)
        #expect(Set(evalData.labels) == [0, 1] && evalData.classes == 2)
        // A label the model has no class for names the file, the row and the model's labels.
        let other = Self.csv(in: dir + "/other", labels: [3, 5])
        #expect(throws: DataError.labelNotAClass(path: other, row: 1, label: 5, classLabels: [3, 7])) {
            try loadDataset(path: other, label: "label").mapped(to: loaded.classLabels, path: other)
        }
        #expect(DataError.labelNotAClass(path: other, row: 1, label: 5, classLabels: [3, 7]).description
                == "\(other): data row 1 has label 5, which is none of the model's 2 class labels (3, 7); check --label names the label column")
    }
}

@Suite struct RowPredictionTests {
    @Test func rowsCarryDataLabelsAndProbabilitiesThatSumToOne() {
        let logits = Tensor(shape: [2, 2], storage: [0, 0, 2, 0])
        let rows = RowPrediction.rows(labels: [1, 0], predicted: [0, 0], logits: logits, firstRow: 10,
                                      classLabels: ClassLabels(values: [3, 7])!)
        #expect(rows.map(\.row) == [10, 11])
        #expect(rows.map(\.label) == [7, 3])
        #expect(rows.map(\.argmax) == [3, 3])
        #expect(rows[0].probabilities == [0.5, 0.5])
        #expect(abs(rows[1].probabilities[0] - 1 / (1 + exp(-2.0))) < 1e-12)
        #expect(rows.allSatisfy { abs($0.probabilities.reduce(0, +) - 1) < 1e-12 })
    }
}
