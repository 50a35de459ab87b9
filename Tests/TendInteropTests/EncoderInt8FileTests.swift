import Foundation
import Testing
import TendEngine
import TendInterop
import TendTensor

/// all-MiniLM-L6-v2 on dynamic int8: sentence embeddings close to fp32 on the fixture's texts, and the int8
/// file round-trips and is refused, naming the tensor, for another model.
@Suite struct EncoderInt8FileTests {
    static func miniLM() throws -> BertModel? {
        let dir = BertFixtures.miniLMModel
        guard FileManager.default.fileExists(atPath: dir + "/model.safetensors") else {
            Issue.record("all-MiniLM-L6-v2 is not in \(dir): run make models")
            return nil
        }
        return BertModel(encoder: try HuggingFaceModel.loadEncoder(directory: dir).encoder)
    }

    @Test func miniLMInt8EmbeddingsStayWithinCosine099OfFP32AndTheFileRoundTrips() throws {
        guard let model = try Self.miniLM() else { return }
        let ref = try BertFixtures.reference("minilm-reference.safetensors")   // 4 texts, up to 16 tokens
        let fp32 = try model.encoder.encode(ref.batch)
        let layers = try DynamicQuantization.quantize(model)
        #expect(layers.count == 36)
        let int8 = DynamicQuantization.quantizedCopy(of: model, layers: layers)
        let q = try int8.encoder.encode(ref.batch)
        for r in 0..<fp32.rows {
            let c = BertFixtures.cosine(fp32.row(r), q.row(r))
            #expect(c >= 0.99, "text \(r): cosine \(c) of int8 to fp32")
        }
        // The saved file gives the same layers, hence the same embeddings bit for bit.
        let path = FileManager.default.temporaryDirectory.path + "/minilm-\(getpid()).int8.safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DynamicInt8File.write(layers, of: model, keepFP32: [], to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata[QuantizedArchive.format] == DynamicInt8Archive.formatValue)
        #expect(try file.info("encoder.layer.0.attention.self.query.weight").dtype == .i8)
        #expect(try file.info("encoder.layer.0.attention.self.query.weight_scale").shape == [384])
        let loaded = try DynamicInt8File.load(path, for: model)
        #expect(zip(loaded, layers).allSatisfy { $0.weights == $1.weights && $0.bias == $1.bias })
        let reloaded = DynamicQuantization.quantizedCopy(of: model, layers: loaded)
        #expect(try reloaded.encoder.encode(ref.batch) == q)
        // For the tiny BERT the file is another model's: refused, naming the tensor.
        let tiny = BertModel(encoder: try HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel).encoder)
        #expect {
            try DynamicInt8File.load(path, for: tiny)
        } throws: { e in
            let text = "\(e)"
            return text.contains(path) && text.contains("tensor \"encoder.layer.0.attention.self.query.weight\"") && text.contains("another model")
        }
    }
}
