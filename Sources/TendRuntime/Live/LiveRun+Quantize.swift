import Foundation
import TendCore
import TendEngine
import TendMetrics
import TendTensor

/// `.quantize` / `.undo` in a live run: serve an int8 copy of the current model (re-quantized at every
/// publish while active), or go back to fp32.
extension LiveRun {
    /// Handles quantization commands; false for anything else.
    public func handleQuantization(_ c: EngineCommand) -> Bool {
        switch c {
        case .quantize(let bits, let perChannel, let symmetric):
            guard bits == 8 else {
                logQuant(.warning, "quantize: \(bits)-bit serving is not available (int8 only; int4 is a what-if in tend quantize)")
                return true
            }
            quantizedServing = QuantizationConfig(perChannel: perChannel, symmetric: symmetric)
            if !publishQuantized(logResult: true) { quantizedServing = nil }
            return true
        case .undo where quantizedServing != nil:
            quantizedServing = nil
            publishModel()
            logQuant(.info, "quantize undone: serving fp32 again")
            return true
        default:
            return false
        }
    }

    /// Builds an int8 model from the live weights (calibrated on validation rows, else training rows),
    /// publishes it and its layer statistics. Returns false if there is nothing to calibrate on.
    @discardableResult
    public func publishQuantized(logResult: Bool = false) -> Bool {
        guard let config = quantizedServing else { return false }
        let data = trainer.data.validation.count > 0 ? trainer.data.validation : trainer.data.train
        guard data.count > 0 else { logQuant(.error, "quantize: no rows to calibrate on"); return false }
        let model = trainer.model.copy()
        let calibration = data.rows(0..<min(512, data.count))
        let q = QuantizedModel(model: model, calibration: calibration.features, config: config)
        let report = QuantizationReport.build(model: model, quantized: q, calibration: calibration.features,
                                              validation: logResult ? data : nil)
        // The serving copy must not share layers with the report's model: build it afresh.
        inference.publish(QuantizedModel(model: model, calibration: calibration.features, config: config))
        let stats = LayerStatistics.rows(model: model) { name in
            let layer = report.layers.first { $0.name == name }
            return (layer?.precision == "int8" ? 8 : 32, layer?.weight.sqnrDB)
        }
        store.setLayers(stats)
        store.set(LiveKeys.modelBytesStored, Double(q.storedBytes))
        if logResult, let f = report.fp32, let a = report.int8, let agree = report.argmaxAgreement {
            let sqnr = report.layers.map { String(format: "%@ %.1f dB", $0.name, $0.weight.sqnrDB) }.joined(separator: ", ")
            logQuant(.info, String(format: "quantized int8 (%@, %@, kernel %@): val accuracy %.4f → %.4f, agreement %.4f; weight SQNR %@",
                                   config.perChannel ? "per-channel" : "per-tensor", config.symmetric ? "symmetric" : "affine",
                                   q.kernel.description, f.accuracy, a.accuracy, agree, sqnr))
        }
        return true
    }

    private func logQuant(_ level: EngineEvent.Level, _ text: String) {
        store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: level, message: text))
    }
}
