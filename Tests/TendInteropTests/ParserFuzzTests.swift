import Foundation
import Testing
import TendCore
import TendInterop
import TendTensor

/// Mutated inputs for the parsers an operator points Tend at (event files, `config.json`, tokenizer files):
/// each mutation either parses or gives Tend's own error naming the file; none crashes or hangs.
/// Runs in every `make test` / CI run (seeded, so a failure replays).
@Suite struct ParserFuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    static let tinyBert = root + "/Fixtures/bert/tiny-bert"

    /// 1–4 random edits: overwrite a byte, overwrite a header byte, truncate, or insert syntax characters.
    static func mutate(_ seed: [UInt8], _ rng: inout SeededGenerator, alphabet: String) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(Int(rng.next() % 4) + 1) where !bytes.isEmpty {
            switch rng.next() % 4 {
            case 0: bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            case 1: bytes[Int(rng.next() % UInt64(min(16, bytes.count)))] = UInt8(truncatingIfNeeded: rng.next())
            case 2: bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
            default:
                let at = Int(rng.next() % UInt64(bytes.count + 1))
                bytes.insert(contentsOf: Array(alphabet.utf8).shuffled(using: &rng).prefix(3), at: at)
            }
        }
        return bytes
    }

    @Test func mutatedEventFilesDecodeOrWarnWithOffsets() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let writer = try EventFileWriter(directory: dir.path, wallTime: 1_700_000_000, host: "fuzz")
        for step in 0..<20 {
            writer.record(MetricPoint(key: .trainLoss, step: step, epoch: 0, wallTime: 1_700_000_000 + Double(step), value: 1 / Double(step + 1)))
        }
        writer.histogram("weights/fc1", values: [-0.5, 0, 0.1, 2], step: 19)
        writer.text("config", "{\"lr\": 0.001}")
        writer.close()
        let seed = dir.read("events.out.tfevents.1700000000.fuzz")
        #expect(seed.count > 200)
        var rng = SeededGenerator(seed: 7)
        var warned = 0
        for _ in 0..<1500 {
            let bytes = Self.mutate(seed, &rng, alphabet: "\u{0}\u{1}\u{7f}\u{ff}\u{80}\u{a}\u{12}\u{1a}")
            let r = bytes.withUnsafeBytes { EventFileParser.parse($0, name: "fuzz.tfevents") }
            #expect(r.consumed <= bytes.count)
            for points in r.tags.values { #expect(points.scalars.count <= 20 + 4) }
            if !r.warnings.isEmpty { warned += 1 }
            for w in r.warnings { #expect("\(w)".contains("fuzz.tfevents"), "warning without the file: \(w)") }
        }
        #expect(warned > 100)   // the mutations reached the record framing and the decoder
    }

    @Test func mutatedConfigJSONLoadsOrNamesTheFile() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let seed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.tinyBert + "/config.json")))
        let path = dir.file("config.json")
        var rng = SeededGenerator(seed: 11)
        var loaded = 0, rejected = 0
        for _ in 0..<1500 {
            let bytes = Self.mutate(seed, &rng, alphabet: "{}[],:\"0123456789e-.tn")
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            do {
                let c = try BertConfigFile.load(path)
                #expect(c.hiddenSize > 0 && c.attentionHeads > 0 && c.hiddenSize % c.attentionHeads == 0 && c.layers > 0)
                loaded += 1
            } catch {
                #expect(error.description.contains(path), "error without the file: \(error)")
                rejected += 1
            }
        }
        #expect(loaded > 0 && rejected > 100)
    }

    @Test func mutatedVocabularyAndTokenizerConfigLoadOrNameTheFile() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let vocab = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.tinyBert + "/vocab.txt")))
        let config = Array(#"{"do_lower_case": true, "strip_accents": null, "tokenize_chinese_chars": true, "model_max_length": 512}"#.utf8)
        var rng = SeededGenerator(seed: 13)
        var loaded = 0, rejected = 0
        for i in 0..<600 {
            let mutateVocab = i % 2 == 0
            let v = mutateVocab ? Self.mutate(vocab, &rng, alphabet: "\n\r #\u{0}\u{ff}\u{c3}") : vocab
            let c = mutateVocab ? config : Self.mutate(config, &rng, alphabet: "{}[],:\"0123456789tfn")
            FileManager.default.createFile(atPath: dir.file("vocab.txt"), contents: Data(v))
            FileManager.default.createFile(atPath: dir.file("tokenizer_config.json"), contents: Data(c))
            do {
                let t = try TokenizerFiles.load(directory: dir.path)
                _ = t.encodeBatch(["a gorgeous, witty movie.", "", "déjà vu 東京"], maxLength: 16)
                loaded += 1
            } catch {
                let named = "\(error)".contains(dir.file("vocab.txt")) || "\(error)".contains(dir.file("tokenizer_config.json"))
                    || "\(error)".contains(dir.path)
                #expect(named, "error without the file: \(error)")
                rejected += 1
            }
        }
        #expect(loaded > 0 && rejected > 0)
    }
}

private extension Error {
    var description: String { "\(self)" }
}
