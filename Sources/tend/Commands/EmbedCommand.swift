import ArgumentParser
import Foundation
import TendEngine
import TendBench
import TendInterop
import TendRuntime
import TendTensor

/// `tend embed`: sentence embeddings of texts (given or from a CSV column) with a BERT-family model directory.
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Sentence embeddings of texts with a Hugging Face BERT-family model (pooling and normalisation from its sentence-transformers files).",
        discussion: "Example: tend embed --model ~/.cache/tend/models/all-MiniLM-L6-v2 --text \"a gorgeous, witty, seductive movie.\" --json")

    @Option(help: "A Hugging Face BERT-family model directory (config.json, model.safetensors, vocab.txt or tokenizer.json).") var model: String
    @Option(name: .customLong("text"), help: "A text to embed (repeat for several).") var texts: [String] = []
    @Option(help: "A CSV file whose --text-column holds the texts.") var data: String?
    @Option(help: "The CSV column with the texts.") var textColumn = "text"
    @Option(help: "Tokens per text, [CLS] and [SEP] included (default: the model's sentence-transformers max_seq_length, else its positions).") var maxLength: Int?
    @Flag(help: "Also print the cosine similarity matrix between the texts.") var similarity = false
    @Option(help: "Threads (OpenBLAS and Tend's workers).") var threads = 2
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct Item: Encodable { var text: String; var token_ids: [Int32]; var embedding: [Float] }
    struct Report: Encodable {
        var model: String
        var dimension: Int
        var pooling: String
        var normalized: Bool
        var max_length: Int
        var truncated: Int
        var items: [Item]
        var similarity: [[Double]]?
    }

    func validate() throws {
        if texts.isEmpty && data == nil { throw ValidationError("give --text \"…\" (one or more) or --data FILE.csv --text-column NAME") }
        if !texts.isEmpty && data != nil { throw ValidationError("give either --text or --data, not both") }
        if let maxLength, maxLength < 2 { throw ValidationError("--max-length must be at least 2 ([CLS] and [SEP])") }
    }

    func run() throws {
        try reportingErrors {
            BLAS.setThreads(threads)
            var inputs = texts
            if let data {
                inputs = try CSVTextTable.load(path: data).column(named: textColumn, allowEmpty: false)
            } else if let i = inputs.firstIndex(where: { $0.allSatisfy(\.isWhitespace) }) {
                throw ValidationError("--text number \(i + 1) is empty")
            }
            let loaded = try HuggingFaceModel.loadEncoder(directory: model)
            let tokenizer = try TokenizerFiles.load(directory: loaded.directory)
            let config = loaded.encoder.config
            let length = min(maxLength ?? loaded.pipeline.maxSequenceLength ?? config.maxPositions, config.maxPositions)
            let embedder = SentenceEmbedder(tokenizer: tokenizer, encoder: loaded.encoder)
            let result = try embedder.embed(inputs, maxLength: length)
            let matrix = similarity ? SentenceEmbedder.cosineMatrix(result.vectors) : nil
            if result.truncatedCount > 0 { Output.info("\(result.truncatedCount) of \(inputs.count) texts truncated to \(length) tokens") }
            if json {
                Output.json(Report(model: loaded.directory, dimension: config.hiddenSize, pooling: loaded.encoder.pooling.rawValue,
                                   normalized: loaded.encoder.normalize, max_length: length, truncated: result.truncatedCount,
                                   items: inputs.indices.map { Item(text: inputs[$0], token_ids: result.tokenIDs[$0], embedding: result.vectors.row($0)) },
                                   similarity: matrix))
                return
            }
            Output.info("\(loaded.directory): dimension \(config.hiddenSize), \(loaded.encoder.pooling.rawValue) pooling\(loaded.encoder.normalize ? ", L2-normalised" : "")")
            for i in inputs.indices {
                let v = result.vectors.row(i)
                let head = v.prefix(6).map { String(format: "%+.4f", $0) }.joined(separator: " ")
                print("\(i + 1)\t\(result.tokenIDs[i].count) tokens\t[\(head) …]\t\(inputs[i].prefix(60))")
            }
            if let matrix {
                print("cosine similarity:")
                for (i, row) in matrix.enumerated() { print("\(i + 1)\t" + row.map { String(format: "%.4f", $0) }.joined(separator: "  ")) }
            }
        }
    }
}
