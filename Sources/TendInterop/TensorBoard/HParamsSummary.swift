import Foundation
import TendCore

/// One hyperparameter's value as TensorBoard's HParams plugin stores it (`google.protobuf.Value`).
public enum HParamValue: Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
}

/// How a session (a run) ended, as the HParams plugin's `Status` enum numbers it.
public enum HParamsSessionStatus: Int64, Sendable {
    case unknown = 0, success = 1, failure = 2, running = 3
}

/// Events of TensorBoard's HParams plugin (`tensorboard/plugins/hparams/plugin_data.proto`, version 0),
/// written the way `tensorboard.plugins.hparams.summary` and PyTorch's `SummaryWriter.add_hparams` do:
/// a summary value tagged `_hparams_/experiment`, `_hparams_/session_start_info` or
/// `_hparams_/session_end_info` whose metadata carries plugin "hparams" and the serialized
/// `HParamsPluginData` as content. With them, runs of one logdir compare in TensorBoard's HParams tab.
public enum HParamsSummary {
    public static let experimentTag = "_hparams_/experiment"
    public static let sessionStartTag = "_hparams_/session_start_info"
    public static let sessionEndTag = "_hparams_/session_end_info"
    public static let pluginName = "hparams"

    /// The experiment: the hyperparameters' names and types, and the scalar tags shown as metrics.
    public static func experiment(hparams: [(String, HParamValue)], metrics: [String], wallTime: Double) -> [UInt8] {
        event(tag: experimentTag, wallTime: wallTime) { data in
            data.message(2) { e in   // HParamsPluginData.experiment
                e.double(3, wallTime)   // time_created_secs
                for (name, value) in hparams {
                    e.message(4) { info in   // HParamInfo
                        info.string(1, name)
                        let type: Int64
                        switch value { case .string: type = 1; case .bool: type = 2; case .number: type = 3 }
                        info.int64(4, type)
                    }
                }
                for tag in metrics {
                    e.message(5) { m in m.message(1) { n in n.string(2, tag) } }   // MetricInfo.name.tag
                }
            }
        }
    }

    /// The start of this run's session with its hyperparameter values.
    public static func sessionStart(hparams: [(String, HParamValue)], wallTime: Double, groupName: String = "") -> [UInt8] {
        event(tag: sessionStartTag, wallTime: wallTime) { data in
            data.message(3) { s in   // HParamsPluginData.session_start_info
                for (name, value) in hparams {
                    s.message(1) { entry in   // map<string, google.protobuf.Value> entry
                        entry.string(1, name)
                        entry.message(2) { v in
                            switch value {
                            case .number(let x): v.double(2, x)
                            case .string(let t): v.string(3, t)
                            case .bool(let b): v.int64(4, b ? 1 : 0)
                            }
                        }
                    }
                }
                if !groupName.isEmpty { s.string(4, groupName) }
                s.double(5, wallTime)
            }
        }
    }

    /// The end of this run's session.
    public static func sessionEnd(status: HParamsSessionStatus, wallTime: Double) -> [UInt8] {
        event(tag: sessionEndTag, wallTime: wallTime) { data in
            data.message(4) { e in e.int64(1, status.rawValue); e.double(2, wallTime) }
        }
    }

    /// An `Event` (step 0) with one summary value: `tag`, metadata with plugin "hparams" and `content`.
    static func event(tag: String, wallTime: Double, content build: (inout ProtoWriter) -> Void) -> [UInt8] {
        var data = ProtoWriter()
        data.int64(1, 0)   // version
        build(&data)
        var w = ProtoWriter()
        w.double(1, wallTime)
        w.int64(2, 0)
        w.message(5) { s in
            s.message(1) { val in
                val.string(1, tag)
                val.message(9) { meta in
                    meta.message(1) { pd in pd.string(1, pluginName); pd.bytesField(2, data.bytes) }
                }
            }
        }
        return w.bytes
    }
}

extension EventFileWriter {
    /// Writes the HParams experiment and session start of this run (call once, at the start).
    public func hparamsStart(_ hparams: [(String, HParamValue)], metrics: [String], wallTime: Double = Date().timeIntervalSince1970) {
        event(HParamsSummary.experiment(hparams: hparams, metrics: metrics, wallTime: wallTime))
        event(HParamsSummary.sessionStart(hparams: hparams, wallTime: wallTime))
    }

    /// Writes the HParams session end of this run.
    public func hparamsEnd(status: HParamsSessionStatus, wallTime: Double = Date().timeIntervalSince1970) {
        event(HParamsSummary.sessionEnd(status: status, wallTime: wallTime))
    }
}
