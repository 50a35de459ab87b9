import Foundation
import Testing
import TendCore
@testable import TendInterop

/// TensorBoard HParams plugin events (experiment, session start/end) and alert/action text summaries,
/// checked on the protobuf bytes with a decoder written here from the .proto field numbers
/// (plugin_data.proto, api.proto, struct.proto, summary.proto); `bench/check_tensorboard_hparams.py`
/// checks the same file with the tensorboard package itself.
@Suite struct HParamsSummaryTests {
    /// A protobuf field: number and payload (varint, fixed64 bits or bytes).
    enum Payload: Equatable { case varint(UInt64), fixed64(UInt64), fixed32(UInt32), bytes([UInt8]) }

    static func fields(_ b: [UInt8]) -> [(Int, Payload)] {
        var out: [(Int, Payload)] = [], i = 0
        func varint() -> UInt64 { var v: UInt64 = 0, s: UInt64 = 0; while true { let x = b[i]; i += 1; v |= UInt64(x & 0x7f) << s; if x < 0x80 { return v }; s += 7 } }
        while i < b.count {
            let key = varint(), field = Int(key >> 3)
            switch key & 7 {
            case 0: out.append((field, .varint(varint())))
            case 1: var v: UInt64 = 0; for k in 0..<8 { v |= UInt64(b[i + k]) << (8 * UInt64(k)) }; i += 8; out.append((field, .fixed64(v)))
            case 5: var v: UInt32 = 0; for k in 0..<4 { v |= UInt32(b[i + k]) << (8 * UInt32(k)) }; i += 4; out.append((field, .fixed32(v)))
            case 2: let n = Int(varint()); out.append((field, .bytes(Array(b[i..<(i + n)])))); i += n
            default: Issue.record("wire type \(key & 7)"); return out
            }
        }
        return out
    }
    static func message(_ b: [UInt8], _ field: Int) -> [UInt8]? {
        for (f, p) in fields(b) where f == field { if case .bytes(let m) = p { return m } }
        return nil
    }
    static func messages(_ b: [UInt8], _ field: Int) -> [[UInt8]] {
        fields(b).compactMap { f, p in if f == field, case .bytes(let m) = p { return m } else { return nil } }
    }
    static func string(_ b: [UInt8], _ field: Int) -> String? { message(b, field).map { String(decoding: $0, as: UTF8.self) } }
    static func double(_ b: [UInt8], _ field: Int) -> Double? {
        for (f, p) in fields(b) where f == field { if case .fixed64(let v) = p { return Double(bitPattern: v) } }
        return nil
    }
    static func varint(_ b: [UInt8], _ field: Int) -> UInt64? {
        for (f, p) in fields(b) where f == field { if case .varint(let v) = p { return v } }
        return nil
    }

    struct Missing: Error { var what: String }
    static func req<T>(_ v: T?, _ what: String = "field") throws -> T { guard let v else { throw Missing(what: what) }; return v }

    /// The `(tag, plugin name, plugin content)` of an Event's one summary value.
    static func hparamsValue(_ event: [UInt8]) throws -> (tag: String, plugin: String, content: [UInt8]) {
        let summary = try Self.req(message(event, 5))
        let value = try Self.req(message(summary, 1))
        let pluginData = try Self.req(message(try Self.req(message(value, 9)), 1))
        return (try Self.req(string(value, 1)), try Self.req(string(pluginData, 1)), try Self.req(message(pluginData, 2)))
    }

    static let hparams: [(String, HParamValue)] = [("optimizer", .string("adam")), ("learning_rate", .number(1e-3)), ("nesterov", .bool(true))]

    @Test func sessionStartCarriesTheValuesInTheHParamsPluginData() throws {
        let (tag, plugin, content) = try Self.hparamsValue(HParamsSummary.sessionStart(hparams: Self.hparams, wallTime: 1_700_000_000))
        #expect(tag == "_hparams_/session_start_info" && plugin == "hparams")
        #expect(Self.varint(content, 1) ?? 0 == 0)   // version 0 (default, may be omitted)
        let start = try Self.req(Self.message(content, 3))
        var values: [String: [UInt8]] = [:]
        for entry in Self.messages(start, 1) { values[Self.string(entry, 1) ?? ""] = Self.message(entry, 2) }
        #expect(Self.string(try Self.req(values["optimizer"]), 3) == "adam")              // Value.string_value
        #expect(Self.double(try Self.req(values["learning_rate"]), 2) == 1e-3)            // Value.number_value
        #expect(Self.varint(try Self.req(values["nesterov"]), 4) == 1)                     // Value.bool_value
        #expect(Self.double(start, 5) == 1_700_000_000)                                    // start_time_secs
    }

    @Test func experimentListsHParamTypesAndMetricTags() throws {
        let (tag, _, content) = try Self.hparamsValue(HParamsSummary.experiment(hparams: Self.hparams, metrics: ["val/loss", "val/accuracy"], wallTime: 5))
        #expect(tag == "_hparams_/experiment")
        let experiment = try Self.req(Self.message(content, 2))
        let infos = Self.messages(experiment, 4).map { (Self.string($0, 1) ?? "", Self.varint($0, 4) ?? 0) }
        #expect(infos.map(\.0) == ["optimizer", "learning_rate", "nesterov"])
        #expect(infos.map(\.1) == [1, 3, 2])   // DATA_TYPE_STRING, DATA_TYPE_FLOAT64, DATA_TYPE_BOOL
        let metrics = Self.messages(experiment, 5).compactMap { Self.message($0, 1).flatMap { Self.string($0, 2) } }
        #expect(metrics == ["val/loss", "val/accuracy"])
    }

    @Test func sessionEndSaysTheStatus() throws {
        let (tag, _, content) = try Self.hparamsValue(HParamsSummary.sessionEnd(status: .success, wallTime: 9))
        #expect(tag == "_hparams_/session_end_info")
        let end = try Self.req(Self.message(content, 4))
        #expect(Self.varint(end, 1) == 1 && Self.double(end, 2) == 9)   // STATUS_SUCCESS, end_time_secs
    }

    @Test func eventFileHoldsHParamsAndAlertTextThatTendsOwnReaderSkips() throws {
        let dir = NSTemporaryDirectory() + "tend-hparams-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try EventFileWriter(directory: dir, wallTime: 1_700_000_000, host: "test")
        writer.hparamsStart(Self.hparams, metrics: ["val/loss"], wallTime: 1_700_000_000)
        let point = MetricPoint(key: .valLoss, step: 40, epoch: 1, wallTime: 1_700_000_001, value: 0.5)
        writer.record(point)
        writer.log(EngineEvent(wallTime: 1_700_000_002, level: .warning, message: "alert fired warning plateau: val loss flat"))
        writer.log(EngineEvent(wallTime: 1_700_000_003, message: "action rollback: restored epoch-0001"))
        writer.log(EngineEvent(wallTime: 1_700_000_004, message: "epoch 2/30: train loss 0.4"))   // not written
        writer.hparamsEnd(status: .success, wallTime: 1_700_000_005)
        writer.close()

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: writer.path)))
        var events: [TensorBoardEvent] = [], raw: [[UInt8]] = [], offset = 0
        try bytes.withUnsafeBytes { b in
            while case let .record(data, next) = TFRecord.step(b, at: offset) {
                raw.append(Array(bytes[data])); events.append(try EventDecoder.decode(UnsafeRawBufferPointer(rebasing: b[data]))); offset = next
            }
        }
        #expect(offset == bytes.count)
        let tags = events.flatMap { $0.values.map(\.tag) }
        let t = EventFileWriter.eventsTag
        #expect(tags == ["_hparams_/experiment", "_hparams_/session_start_info", "val/loss", t, t, "_hparams_/session_end_info"])
        // Tend's own reader keeps the scalar and the texts, and skips the hparams values.
        let values = events.flatMap(\.values)
        #expect(values.first { $0.tag == "val/loss" }?.content == .scalar(0.5))
        let texts = values.filter { $0.tag == t }.map(\.content)
        #expect(texts == [.text(["warning: alert fired warning plateau: val loss flat"]), .text(["info: action rollback: restored epoch-0001"])])
        #expect(events.filter { $0.values.first?.tag == t }.map(\.step) == [40, 40])
        for v in values where v.tag.hasPrefix("_hparams_/") { if case .skipped = v.content {} else { Issue.record("\(v.tag): \(v.content)") } }
    }
}
