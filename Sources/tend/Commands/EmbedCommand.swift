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
    @Option(help: "A dynamic int8 file of this model (tend quantize --model DIR --out FILE): run its linear layers on int8 kernels (TEND_INT8_KERNEL=avx2|avx-vnni|scalar forces one).") var int8: String?
    @Option(help: "Threads (OpenBLAS and Tend's workers).") var threads = 2
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func validate() throws {
        if texts.isEmpty && data == nil { throw ValidationError("give --text \"…\" (one or more) or --data FILE.csv --text-column NAME") }
        if !texts.isEmpty && data != nil { throw ValidationError("give either --text or --data, not both") }
        if let maxLength, maxLength < 2 { throw ValidationError("--max-length must be at least 2 ([CLS] and [SEP])") }
    }

    func run() throws {
        try reportingErrors {
            BLAS.setThreads(threads)
            let report = try EmbeddingJob(model: model, texts: texts, data: data, textColumn: textColumn,
                                          maxLength: maxLength, similarity: similarity, int8: int8,
                                          kernelOverride: ProcessInfo.processInfo.environment[Int8Kernel.environmentKey]).run()
            if report.truncated > 0 { Output.info("\(report.truncated) of \(report.items.count) texts truncated to \(report.max_length) tokens") }
            if json { Output.json(report) } else { FileHandle.standardOutput.write(Data(report.table.utf8)) }
        }
    }
}
