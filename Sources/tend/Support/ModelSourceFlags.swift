import ArgumentParser
import TendRuntime

/// The model flags of `eval`, `prune`, `quantize`, `distill`: a Tend checkpoint, or plain safetensors weights
/// with `--arch`; loaded by the runtime's `ModelLoader`.
struct ModelSource: ParsableArguments {
    @Option(help: "A Tend checkpoint (.safetensors written by tend train).") var checkpoint: String?
    @Option(help: "Plain safetensors weights with --arch: a PyTorch state dict of nn.Linear layers named fcN.*, nn.Sequential indices (0.weight, 2.weight, ...), layers.N.* or PREFIX.N.* (weight [out,in]).") var weights: String?
    @Option(help: ArgumentHelp("Rewrite --weights tensor names before matching (regex; $1 in REPL); repeatable.",
                               valueName: "PATTERN=REPL")) var rename: [String] = []
    @Option(help: "Layer widths of imported weights, e.g. 64-128-128-10.") var arch: String?
    @Option(help: "Activation of imported weights: relu, gelu, tanh, sigmoid.") var activation = "relu"
    @Option(help: "Normalisation of imported weights' inputs: none, standard (fitted on the given data), minmax, scale:K.")
    var normalize = "none"
    @Option(name: .customLong("model"), help: "A Hugging Face BERT-family model directory (tend quantize: dynamic int8 of its linear layers).")
    var directory: String?

    func validate() throws {
        if directory != nil {
            if checkpoint != nil || weights != nil { throw ValidationError("give --model DIR, or --checkpoint / --weights, not both") }
            return
        }
        if checkpoint == nil && weights == nil { throw ValidationError("give --checkpoint FILE or --weights FILE --arch A-B-C") }
        if checkpoint != nil && weights != nil { throw ValidationError("give either --checkpoint or --weights, not both") }
        if weights != nil && arch == nil { throw ValidationError("--weights needs --arch, e.g. --arch 64-128-128-10") }
        if !rename.isEmpty && weights == nil { throw ValidationError("--rename applies to --weights FILE") }
    }

    var loader: ModelLoader {
        ModelLoader(checkpoint: checkpoint, weights: weights, arch: arch, activation: activation, normalize: normalize,
                    renames: rename)
    }

    typealias Loaded = ModelLoader.Loaded

    func load() throws -> Loaded {
        if let directory {
            throw OptionError.rejected(option: "--model", value: directory,
                                       reason: "this command takes --checkpoint or --weights; a model directory works with tend quantize, tend embed and tend bench encoder")
        }
        return try loader.load()
    }
}
