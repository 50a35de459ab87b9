import ArgumentParser
import TendBench
import TendRuntime

/// `tend export`: a checkpoint or BERT directory as a clean PyTorch state dict or an ONNX graph (`ExportJob`).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a model as a PyTorch state dict (safetensors, model tensors only) or an ONNX graph (opset 17).",
        discussion: "MLP torch names: --names sequential (nn.Sequential indices 0.weight, 2.weight…; the module is in the file's metadata tend.module) or fc (fc1.weight…); both load back with tend eval --weights. BERT: Hugging Face BertModel names. ONNX: MLP features → logits; BERT input_ids, attention_mask, token_type_ids → last_hidden_state, sentence_embedding.")
    @Option(help: "A Tend checkpoint (.safetensors written by tend train).") var checkpoint: String?
    @Option(help: "A Hugging Face BERT-family model directory.") var model: String?
    @Option(help: "torch or onnx.") var format: String
    @Option(help: "Output file (.safetensors or .onnx).") var out: String
    @Option(help: "MLP tensor names in the torch file: sequential or fc.") var names = "sequential"
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func validate() throws { if (checkpoint == nil) == (model == nil) { throw ValidationError("give either --checkpoint FILE or --model DIR") } }

    func run() throws {
        try reportingErrors {
            let report = try ExportJob(checkpoint: checkpoint, model: model, format: format, out: out, names: names).run()
            Output.info(report.summary)
            if json { Output.json(report) }
        }
    }
}
