import TendCore
import TendTensor

extension BertClassifierTraining {
    /// Gradients of the last forward's loss: overwrites every trainable parameter's `grad` (frozen ones are
    /// left untouched, 0 unless set otherwise). Embedding tables get rows scattered into only where the batch
    /// used them; the rows the previous backward wrote are zeroed first. Precondition: a forward ran.
    public func backward() {
        precondition(hasForward, "BertClassifierTraining.backward: no forward to differentiate")
        withParameterPointers(parameters) { v, g in
            headBackward(v, g)
            var l = config.layers - 1
            let lowest = frozenLayers
            while l >= lowest {
                let needsInputGradient = l > lowest || !freezesEmbeddings && lowest == 0
                layerBackward(l, v, g, inputGradient: needsInputGradient)
                l -= 1
            }
            if !freezesEmbeddings && lowest == 0 { embeddingsBackward(v, g) }
        }
    }

    /// Cross-entropy → logits → head → dropout → pooling: leaves ∂loss/∂(last hidden states) in `gradHidden`.
    private func headBackward(_ v: [UnsafePointer<Float>], _ g: [UnsafeMutablePointer<Float>]) {
        let ws = workspace, h = config.hiddenSize, c = classes, seqs = ws.sequences, t = ws.tokens
        let dLogits = ws.gradLogits.p, prob = ws.softmax.p
        let inv = 1 / Float(seqs)
        for s in 0..<seqs {
            for j in 0..<c { dLogits[s * c + j] = prob[s * c + j] * inv }
            dLogits[s * c + lastLabels[s]] -= inv
        }
        // classifier.weight [c, h] = dLogitsᵀ · headInput; bias = column sums.
        gemm(m: c, n: h, k: seqs, dLogits, lda: c, transposeA: true, ws.headInput.p, ldb: h, g[head], ldc: h)
        columnSums(dLogits, rows: seqs, cols: c, ld: c, into: g[headBias])
        if encoderIsFrozen { return }
        let dPooled = ws.gradPooled.p
        gemm(m: seqs, n: h, k: c, dLogits, lda: c, v[head], ldb: h, dPooled, ldc: h)
        if lastForwardDropped { multiplyInPlace(dPooled, ws.pooledMask.p, count: seqs * h) }
        let dH = ws.gradHidden.p
        dH.update(repeating: 0, count: t * h)
        for s in 0..<seqs {
            let start = ws.starts[s], n = ws.starts[s + 1] - start
            let src = dPooled + s * h
            switch pooling {
            case .cls: (dH + start * h).update(from: src, count: h)
            case .mean:
                let scale = 1 / Float(n)
                for i in start..<(start + n) {
                    let dst = dH + i * h
                    for j in 0..<h { dst[j] = src[j] * scale }
                }
            case .max:
                for j in 0..<h { dH[Int(ws.argmax[s * h + j]) * h + j] += src[j] }
            }
        }
    }

    /// From ∂loss/∂(layer l's output) in `gradHidden` to its parameters' gradients and, if `inputGradient`,
    /// ∂loss/∂(layer l's input) back in `gradHidden`.
    private func layerBackward(_ l: Int, _ v: [UnsafePointer<Float>], _ g: [UnsafeMutablePointer<Float>], inputGradient: Bool) {
        let ws = workspace, a = ws.layers[l], s = layerSlots[l]
        let h = config.hiddenSize, inter = config.intermediateSize, t = ws.tokens, n = t * h
        let dH = ws.gradHidden.p, dA = ws.gradAttended.p, dU = ws.gradIntermediate.p, act = ws.activation.p
        let x = ws.hiddens[l].p, attended = a.attended.p
        // Output LayerNorm: dH becomes ∂/∂(attended + drop(ffn)).
        g[s.norm2].update(repeating: 0, count: h); g[s.norm2Bias].update(repeating: 0, count: h)
        layerNormBackward(dH, xhat: a.outputXhat.p, rstd: a.outputRstd.p, gamma: v[s.norm2], rows: t, cols: h,
                          dx: dH, dGamma: g[s.norm2], dBeta: g[s.norm2Bias])
        dA.update(from: dH, count: n)
        if lastForwardDropped { multiplyInPlace(dH, a.outputMask.p, count: n) }
        // output.dense: W2 [h, inter], input act(u).
        activateRows(a.preActivation.p, count: t * inter, activation: config.hiddenActivation, into: act)
        columnSums(dH, rows: t, cols: h, ld: h, into: g[s.output2Bias])
        splitGemm(m: h, n: inter, k: t, dH, lda: h, transposeA: true, act, ldb: inter, g[s.output2], ldc: inter)
        splitGemm(m: t, n: inter, k: h, dH, lda: h, v[s.output2], ldb: inter, dU, ldc: inter)
        activationBackward(dU, preActivation: a.preActivation.p, count: t * inter, activation: config.hiddenActivation)
        // intermediate.dense: W1 [inter, h], input attended.
        columnSums(dU, rows: t, cols: inter, ld: inter, into: g[s.intermediateBias])
        splitGemm(m: inter, n: h, k: t, dU, lda: inter, transposeA: true, attended, ldb: h, g[s.intermediate], ldc: h)
        splitGemm(m: t, n: h, k: inter, dU, lda: inter, v[s.intermediate], ldb: h, dA, ldc: h, beta: 1)
        // Attention LayerNorm: dA becomes ∂/∂(x + drop(proj)); the residual part goes to dH.
        g[s.norm1].update(repeating: 0, count: h); g[s.norm1Bias].update(repeating: 0, count: h)
        layerNormBackward(dA, xhat: a.attentionXhat.p, rstd: a.attentionRstd.p, gamma: v[s.norm1], rows: t, cols: h,
                          dx: dA, dGamma: g[s.norm1], dBeta: g[s.norm1Bias])
        dH.update(from: dA, count: n)
        if lastForwardDropped { multiplyInPlace(dA, a.attentionMask.p, count: n) }
        // attention.output.dense: Wo [h, h], input context.
        let dC = ws.gradContext.p
        columnSums(dA, rows: t, cols: h, ld: h, into: g[s.outputBias])
        splitGemm(m: h, n: h, k: t, dA, lda: h, transposeA: true, a.context.p, ldb: h, g[s.output], ldc: h)
        splitGemm(m: t, n: h, k: h, dA, lda: h, v[s.output], ldb: h, dC, ldc: h)
        attentionBackward(a)
        // query/key/value: W [h, h] each, input x; dx += dQKV_part · W_part.
        let dQKV = ws.gradQKV.p
        for (part, (w, b)) in [(s.query, s.queryBias), (s.key, s.keyBias), (s.value, s.valueBias)].enumerated() {
            columnSums(dQKV + part * h, rows: t, cols: h, ld: 3 * h, into: g[b])
            splitGemm(m: h, n: h, k: t, dQKV + part * h, lda: 3 * h, transposeA: true, x, ldb: h, g[w], ldc: h)
            if inputGradient {
                splitGemm(m: t, n: h, k: h, dQKV + part * h, lda: 3 * h, v[w], ldb: h, dH, ldc: h, beta: 1)
            }
        }
    }

    /// From ∂/∂context (`gradContext`) to ∂/∂(Q|K|V) (`gradQKV`), per (sequence, head):
    /// dV = P̃ᵀ dC, dP̃ = dC Vᵀ, dP = dP̃ ⊙ dropout, dS = P ⊙ (dP − rowsum(dP ⊙ P)) / √d, dQ = dS K, dK = dSᵀ Q.
    private func attentionBackward(_ a: TrainingWorkspace.LayerActivations) {
        let ws = workspace, h = config.hiddenSize, heads = config.attentionHeads, d = config.headSize
        let scale = 1 / Float(d).squareRoot(), rate = lastAttentionRate
        let keepScale = rate > 0 ? 1 / (1 - rate) : 1
        let qkv = a.qkv.p, probs = a.probs.p, dropped = a.dropped.pointer
        let dC = ws.gradContext.p, dQKV = ws.gradQKV.p, scratch = ws.gradScores.p, block = ws.scoreBlock
        BLAS.useSingleThread()
        ws.starts.withUnsafeBufferPointer { starts in
            ws.probStarts.withUnsafeBufferPointer { probStarts in
                Parallel.forEach(ws.sequences * heads, maxWorkers: ws.scoreWorkers) { item, worker in
                    let s = item / heads, head = item % heads
                    let start = starts[s], n = starts[s + 1] - start
                    let p = probs + probStarts[s] + head * n * n
                    let used = rate > 0 ? UnsafePointer(dropped! + probStarts[s] + head * n * n) : UnsafePointer(p)
                    let q = qkv + start * 3 * h + head * d, k = q + h, val = q + 2 * h
                    let dq = dQKV + start * 3 * h + head * d, dk = dq + h, dv = dq + 2 * h
                    let dc = dC + start * h + head * d
                    let dp = scratch + worker * block
                    gemm(m: n, n: n, k: d, dc, lda: h, val, ldb: 3 * h, transposeB: true, dp, ldc: n, singleThreaded: true)
                    gemm(m: n, n: d, k: n, used, lda: n, transposeA: true, dc, ldb: h, dv, ldc: 3 * h, singleThreaded: true)
                    if rate > 0 {
                        // A dropped entry has P̃ = 0; a kept one P̃ ≠ 0 unless P = 0, where dS is 0 anyway.
                        for i in 0..<(n * n) { dp[i] = used[i] != 0 ? dp[i] * keepScale : 0 }
                    }
                    for r in 0..<n {
                        let row = dp + r * n, pr = p + r * n
                        var dot: Float = 0
                        for j in 0..<n { dot += row[j] * pr[j] }
                        for j in 0..<n { row[j] = pr[j] * (row[j] - dot) * scale }
                    }
                    gemm(m: n, n: d, k: n, dp, lda: n, k, ldb: 3 * h, dq, ldc: 3 * h, singleThreaded: true)
                    gemm(m: n, n: d, k: n, dp, lda: n, transposeA: true, q, ldb: 3 * h, dk, ldc: 3 * h, singleThreaded: true)
                }
            }
        }
    }

    /// Embedding dropout and LayerNorm backward, then the token rows scattered into the three tables.
    private func embeddingsBackward(_ v: [UnsafePointer<Float>], _ g: [UnsafeMutablePointer<Float>]) {
        let ws = workspace, h = config.hiddenSize, t = ws.tokens
        let dH = ws.gradHidden.p
        if lastForwardDropped { multiplyInPlace(dH, ws.embeddingMask.p, count: t * h) }
        g[embeddingNorm].update(repeating: 0, count: h); g[embeddingNormBias].update(repeating: 0, count: h)
        layerNormBackward(dH, xhat: ws.embeddingXhat.p, rstd: ws.embeddingRstd.p, gamma: v[embeddingNorm], rows: t, cols: h,
                          dx: dH, dGamma: g[embeddingNorm], dBeta: g[embeddingNormBias])
        func scatter(_ table: UnsafeMutablePointer<Float>, rows: [Int32], previous: inout [Int32]) {
            for r in previous { (table + Int(r) * h).update(repeating: 0, count: h) }
            for (i, r) in rows.enumerated() { addInPlace(table + Int(r) * h, dH + i * h, count: h) }
            previous.removeAll(keepingCapacity: true)
            previous.append(contentsOf: rows)
        }
        scatter(g[word], rows: ws.ids, previous: &ws.scatteredWords)
        scatter(g[position], rows: ws.positions, previous: &ws.scatteredPositions)
        scatter(g[tokenType], rows: ws.types, previous: &ws.scatteredTypes)
    }
}
