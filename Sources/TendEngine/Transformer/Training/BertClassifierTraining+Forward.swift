#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import TendCore
import TendTensor

extension BertClassifierTraining {
    /// Runs embeddings, every layer, pooling, the head and the loss on `batch` with one label per sequence,
    /// keeping what `backward()` needs. Dropout acts only when `training`. Returns the mean cross-entropy.
    @discardableResult
    public func forward(_ batch: EncoderBatch, labels: [Int], training: Bool) throws(BertTrainingError) -> Float {
        guard labels.count == batch.batch else { throw .labelCount(labels: labels.count, sequences: batch.batch) }
        for (s, l) in labels.enumerated() where l < 0 || l >= classes { throw .labelOutOfRange(sequence: s, label: l, classes: classes) }
        let ws = workspace
        do { try ws.pack(batch, config: config) } catch { throw .input(error) }
        let dropping = training && (dropout.hidden > 0 || dropout.attention > 0 || dropout.classifier > 0)
        ws.ensure(config: config, classes: classes, dropout: dropping, threads: Parallel.threads)
        lastForwardDropped = dropping
        lastAttentionRate = dropping ? dropout.attention : 0
        hasForward = true
        return withParameterPointers(parameters) { v, _ in
            embeddingsForward(v, dropping: dropping)
            for l in 0..<config.layers { layerForward(l, v, dropping: dropping) }
            return headForward(v, labels: labels, dropping: dropping)
        }
    }

    private func hiddenDropout(_ x: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, count: Int, dropping: Bool) {
        guard dropping else { return }
        let rate = dropout.hidden
        if rate > 0 { fillDropoutMask(mask, count: count, rate: rate, generator: &generator) } else { mask.update(repeating: 1, count: count) }
        multiplyInPlace(x, mask, count: count)
    }

    private func embeddingsForward(_ v: [UnsafePointer<Float>], dropping: Bool) {
        let ws = workspace, h = config.hiddenSize, t = ws.tokens
        let out = ws.hiddens[0].p
        let w = v[word], pos = v[position], ty = v[tokenType]
        for i in 0..<t {
            let dst = out + i * h
            let a = w + Int(ws.ids[i]) * h, b = pos + Int(ws.positions[i]) * h, c = ty + Int(ws.types[i]) * h
            for j in 0..<h { dst[j] = a[j] + b[j] + c[j] }
        }
        layerNormForwardKeeping(out, rows: t, cols: h, gamma: v[embeddingNorm], beta: v[embeddingNormBias],
                                epsilon: config.layerNormEpsilon, xhat: ws.embeddingXhat.p, rstd: ws.embeddingRstd.p, out: out)
        if dropping { hiddenDropout(out, mask: ws.embeddingMask.p, count: t * h, dropping: true) }
    }

    private func layerForward(_ l: Int, _ v: [UnsafePointer<Float>], dropping: Bool) {
        let ws = workspace, a = ws.layers[l], s = layerSlots[l]
        let h = config.hiddenSize, inter = config.intermediateSize, t = ws.tokens, eps = config.layerNormEpsilon
        let x = ws.hiddens[l].p, qkv = a.qkv.p
        for (part, (w, b)) in [(s.query, s.queryBias), (s.key, s.keyBias), (s.value, s.valueBias)].enumerated() {
            splitGemm(m: t, n: h, k: h, x, lda: h, v[w], ldb: h, transposeB: true, qkv + part * h, ldc: 3 * h)
            addBias(qkv + part * h, rows: t, cols: h, ld: 3 * h, bias: v[b])
        }
        attentionForward(a, dropping: dropping && dropout.attention > 0)
        // attended = LN1(x + drop(context Woᵀ + bo))
        let proj = ws.projected.p
        splitGemm(m: t, n: h, k: h, a.context.p, lda: h, v[s.output], ldb: h, transposeB: true, proj, ldc: h)
        addBias(proj, rows: t, cols: h, ld: h, bias: v[s.outputBias])
        if dropping { hiddenDropout(proj, mask: a.attentionMask.p, count: t * h, dropping: true) }
        for i in 0..<(t * h) { proj[i] += x[i] }
        layerNormForwardKeeping(proj, rows: t, cols: h, gamma: v[s.norm1], beta: v[s.norm1Bias], epsilon: eps,
                                xhat: a.attentionXhat.p, rstd: a.attentionRstd.p, out: a.attended.p)
        // out = LN2(attended + drop(act(attended W1ᵀ + b1) W2ᵀ + b2))
        let u = a.preActivation.p, g = ws.activation.p
        splitGemm(m: t, n: inter, k: h, a.attended.p, lda: h, v[s.intermediate], ldb: h, transposeB: true, u, ldc: inter)
        addBias(u, rows: t, cols: inter, ld: inter, bias: v[s.intermediateBias])
        activateRows(u, count: t * inter, activation: config.hiddenActivation, into: g)
        splitGemm(m: t, n: h, k: inter, g, lda: inter, v[s.output2], ldb: inter, transposeB: true, proj, ldc: h)
        addBias(proj, rows: t, cols: h, ld: h, bias: v[s.output2Bias])
        if dropping { hiddenDropout(proj, mask: a.outputMask.p, count: t * h, dropping: true) }
        let attended = a.attended.p
        for i in 0..<(t * h) { proj[i] += attended[i] }
        layerNormForwardKeeping(proj, rows: t, cols: h, gamma: v[s.norm2], beta: v[s.norm2Bias], epsilon: eps,
                                xhat: a.outputXhat.p, rstd: a.outputRstd.p, out: ws.hiddens[l + 1].p)
    }

    /// context[s, head] = drop(softmax(Q Kᵀ/√d)) V per (sequence, head) over the sequence's real tokens.
    private func attentionForward(_ a: TrainingWorkspace.LayerActivations, dropping: Bool) {
        let ws = workspace, h = config.hiddenSize, heads = config.attentionHeads, d = config.headSize
        let scale = 1 / Float(d).squareRoot(), rate = dropout.attention
        let items = ws.sequences * heads
        if dropping {
            ws.attentionSeeds.removeAll(keepingCapacity: true)
            for _ in 0..<items { ws.attentionSeeds.append(generator.next()) }
        }
        let qkv = a.qkv.p, context = a.context.p, probs = a.probs.p, dropped = a.dropped.pointer
        BLAS.useSingleThread()
        ws.starts.withUnsafeBufferPointer { starts in
            ws.probStarts.withUnsafeBufferPointer { probStarts in
                ws.attentionSeeds.withUnsafeBufferPointer { seeds in
                    Parallel.forEach(items) { item, _ in
                        let s = item / heads, head = item % heads
                        let start = starts[s], n = starts[s + 1] - start
                        let p = probs + probStarts[s] + head * n * n
                        let q = qkv + start * 3 * h + head * d, k = q + h, val = q + 2 * h
                        gemm(m: n, n: n, k: d, q, lda: 3 * h, k, ldb: 3 * h, transposeB: true, p, ldc: n, singleThreaded: true)
                        scaledSoftmaxRows(p, rows: n, cols: n, stride: n, scale: scale)
                        var src = UnsafePointer(p)
                        if dropping, let dropped {
                            let dp = dropped + probStarts[s] + head * n * n
                            var g = SeededGenerator(seed: seeds[item])
                            fillDropoutMask(dp, count: n * n, rate: rate, generator: &g)
                            for i in 0..<(n * n) { dp[i] *= p[i] }
                            src = UnsafePointer(dp)
                        }
                        gemm(m: n, n: d, k: n, src, lda: n, val, ldb: 3 * h, context + start * h + head * d, ldc: h, singleThreaded: true)
                    }
                }
            }
        }
    }

    /// Pooling, classifier dropout, logits, softmax and the mean cross-entropy over the sequences.
    private func headForward(_ v: [UnsafePointer<Float>], labels: [Int], dropping: Bool) -> Float {
        let ws = workspace, h = config.hiddenSize, c = classes, seqs = ws.sequences
        let states = ws.hiddens[config.layers].p, pooled = ws.pooled.p
        if pooling == .max {
            ws.argmax.removeAll(keepingCapacity: true)
            ws.argmax.append(contentsOf: repeatElement(0, count: seqs * h))
        }
        for s in 0..<seqs {
            let start = ws.starts[s], n = ws.starts[s + 1] - start
            let dst = pooled + s * h
            dst.update(from: states + start * h, count: h)
            switch pooling {
            case .cls: break
            case .mean:
                for t in 1..<max(n, 1) { addInPlace(dst, states + (start + t) * h, count: h) }
                let inv = 1 / Float(n)
                for j in 0..<h { dst[j] *= inv }
            case .max:
                for j in 0..<h { ws.argmax[s * h + j] = Int32(start) }
                for t in 1..<max(n, 1) {
                    let src = states + (start + t) * h
                    for j in 0..<h where src[j] > dst[j] { dst[j] = src[j]; ws.argmax[s * h + j] = Int32(start + t) }
                }
            }
        }
        let input = ws.headInput.p
        input.update(from: pooled, count: seqs * h)
        if dropping && dropout.classifier > 0 {
            fillDropoutMask(ws.pooledMask.p, count: seqs * h, rate: dropout.classifier, generator: &generator)
            multiplyInPlace(input, ws.pooledMask.p, count: seqs * h)
        } else if dropping {
            ws.pooledMask.p.update(repeating: 1, count: seqs * h)
        }
        let logits = ws.logits.p, prob = ws.softmax.p
        gemm(m: seqs, n: c, k: h, input, lda: h, v[head], ldb: h, transposeB: true, logits, ldc: c)
        addBias(logits, rows: seqs, cols: c, ld: c, bias: v[headBias])
        var loss = 0.0
        for s in 0..<seqs {
            let row = logits + s * c, p = prob + s * c
            var mx = -Float.infinity
            for j in 0..<c { mx = max(mx, row[j]) }
            var sum = 0.0
            for j in 0..<c { let e = exp(Double(row[j] - mx)); p[j] = Float(e); sum += e }
            for j in 0..<c { p[j] = Float(Double(p[j]) / sum) }
            loss -= Double(row[labels[s]] - mx) - log(sum)
        }
        lastLabels.removeAll(keepingCapacity: true)
        lastLabels.append(contentsOf: labels)
        return Float(loss / Double(seqs))
    }
}
