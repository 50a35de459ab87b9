import ArgumentParser
import Foundation
import TendBench
import TendRuntime
import TendEngine
import TendInterop
import TendTensor

/// `tend prune`: magnitude or structured pruning of a model, written with sparse storage.
struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prune a model by weight magnitude (unstructured) or remove hidden units (structured); write it with sparse storage.",
        discussion: """
        Unstructured: --threshold T zeroes every eligible weight with |w| < T; --sparsity S zeroes the \
        floor(S*n) smallest-magnitude eligible weights (ties broken by index: parameter order, then row-major). \
        --scope global ranks all eligible weights together, --scope layer prunes each tensor to S on its own. \
        Eligible are weight matrices; biases and LayerNorm parameters only with --include-biases.
        Structured (--structured with --neurons N or --fraction F): removes from every hidden layer the units \
        with the smallest incoming-weight L2 norm, with their bias and their column of the next layer; the \
        output model has smaller layer widths. Both may be combined (structured first).
        The output stores each tensor in its cheapest scheme (dense F32, bitmap or CSR, recorded in the \
        metadata as tend.sparse.<name>); tend eval --checkpoint reads it.
        """)

    @OptionGroup var model: ModelSource
    @Option(help: "Prune eligible weights with |w| below this value.") var threshold: Float?
    @Option(help: "Target sparsity in 0...1 (fraction of eligible weights set to 0).") var sparsity: Double?
    @Option(help: "global (one ranking over all layers) or layer (each tensor on its own).") var scope = "global"
    @Flag(help: "Also prune biases and LayerNorm parameters.") var includeBiases = false
    @Flag(help: "Remove whole hidden units instead of (or before) single weights.") var structured = false
    @Option(help: "With --structured: units to remove per hidden layer.") var neurons: Int?
    @Option(help: "With --structured: fraction of units to remove per hidden layer (0...1).") var fraction: Double?
    @Option(help: "CSV to measure accuracy before and after on (and to fine-tune on).") var data: String?
    @Option(help: "Name of the integer label column of --data.") var label = "label"
    @Option(help: "Fine-tune this many epochs after pruning, keeping pruned weights at 0 (needs --data).") var finetuneEpochs = 0
    @Option(help: "Learning rate of the fine-tuning (Adam).") var finetuneLr: Float = 1e-3
    @Option(help: "Output safetensors file.") var out: String
    @Option(help: "BLAS threads.") var threads = 1
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func validate() throws {
        if threshold == nil && sparsity == nil && !structured {
            throw ValidationError("give --threshold T or --sparsity S (unstructured), or --structured with --neurons N or --fraction F")
        }
        if threshold != nil && sparsity != nil { throw ValidationError("give either --threshold or --sparsity, not both") }
        if let t = threshold, !(t >= 0 && t.isFinite) { throw ValidationError("--threshold must be a finite number ≥ 0, got \(t)") }
        if let s = sparsity, !(s >= 0 && s <= 1) { throw ValidationError("--sparsity must lie in 0...1, got \(s)") }
        if PruningScope(rawValue: scope) == nil { throw ValidationError("--scope must be global or layer, got \(scope)") }
        if structured && (neurons == nil) == (fraction == nil) { throw ValidationError("--structured needs exactly one of --neurons N or --fraction F") }
        if !structured && (neurons != nil || fraction != nil) { throw ValidationError("--neurons and --fraction need --structured") }
        if let n = neurons, n < 0 { throw ValidationError("--neurons must be ≥ 0, got \(n)") }
        if let f = fraction, !(f >= 0 && f <= 1) { throw ValidationError("--fraction must lie in 0...1, got \(f)") }
        if finetuneEpochs < 0 { throw ValidationError("--finetune-epochs must be ≥ 0") }
        if finetuneEpochs > 0 && data == nil { throw ValidationError("--finetune-epochs needs --data CSV to train on") }
    }

    func run() throws {
        try reportingErrors {
            BLAS.setThreads(threads)
            let loaded = try model.load()
            var net = loaded.model
            var normalizer = loaded.normalizer
            var dataset: Dataset?
            if let data {
                var ds = try loadDataset(path: data, label: label).mapped(to: loaded.classLabels, path: data)
                let inputs = net.architecture.featureCount ?? 0, outputs = net.outputCount
                try ds.checkFits(inputs: inputs, classes: outputs, path: data, labelColumn: label)
                ds.classes = outputs
                let n = normalizer ?? Normalizer.fit(loaded.normalization, on: ds.features)
                normalizer = n
                dataset = n.apply(ds)
            }
            let before = dataset.map { evaluate(net, on: $0) }
            let summaryBefore = PruningSummary(model: net)
            var removed: [[Int]]? = nil
            if structured {
                let amount: NeuronAmount = neurons.map { .neurons($0) } ?? .fraction(fraction!)
                let r = try StructuredPruning.removeNeurons(from: net, amount: amount)
                net = r.model
                removed = r.removed
                Output.info("structured: widths \(loaded.model.architecture.widths.map(String.init).joined(separator: "-")) -> \(net.architecture.widths.map(String.init).joined(separator: "-"))")
            }
            let spec: PruningSpec? = {
                let sc = PruningScope(rawValue: scope)!
                if let threshold { return .threshold(threshold, scope: sc, includeBiases: includeBiases) }
                if let sparsity { return .sparsity(sparsity, scope: sc, includeBiases: includeBiases) }
                return nil
            }()
            if let spec { MagnitudePruner.prune(net, spec: spec) }
            if finetuneEpochs > 0, let dataset {
                let losses = PruningFineTune.run(net, on: dataset, epochs: finetuneEpochs, learningRate: finetuneLr)
                Output.info(String(format: "fine-tuned %d epochs on %@ (accuracy below is measured on the same rows): loss %.4f -> %.4f",
                                   finetuneEpochs, data! as NSString, losses.first ?? .nan, losses.last ?? .nan))
            }
            let after = dataset.map { evaluate(net, on: $0) }
            let summary = PruningSummary(model: net, spec: spec)

            var meta = loaded.metadata
            for key in [Checkpoint.Key.config, Checkpoint.Key.samplerState, Checkpoint.Key.optimizer, Checkpoint.Key.optimizerSteps,
                        Checkpoint.Key.bestValLoss, Checkpoint.Key.staleEvals, Checkpoint.Key.optimizerFile] { meta[key] = nil }
            for key in meta.keys where key.hasPrefix(SparseSafetensors.metadataPrefix) { meta[key] = nil }
            meta[Checkpoint.Key.format] = Checkpoint.formatVersion
            meta[Checkpoint.Key.arch] = net.architecture.json
            if let normalizer { meta[Checkpoint.Key.normalizer] = jsonString(normalizer) }
            meta["tend.pruning"] = jsonString(PruningNote(source: loaded.path, spec: spec, structured_removed: removed))
            let stats = try SparseSafetensors.write(tensors: net.namedTensors(), metadata: meta, to: out)

            let result = PruneResult(model: loaded.path, out: out, spec: spec, summary: summary, stats: stats,
                                     layoutBefore: loaded.model.architecture.widths, layoutAfter: net.architecture.widths,
                                     parametersBefore: summaryBefore.parameterCount, data: data, before: before, after: after)
            if !json || Output.stderrIsTTY { result.print() }
            if json { Output.json(result) }
        }
    }
}
