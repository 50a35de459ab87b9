import TendInterop

/// A typed error about one file: `ErrorReport` takes its `file` from here rather than from the message text.
public protocol NamesAFile: Error {
    /// The file the error is about, as the user gave it; nil when the case is about no file.
    var file: String? { get }
}

extension ModelFileError: NamesAFile {
    public var file: String? {
        switch self {
        case let .notATendCheckpoint(path), let .unreadableMetadata(path, _, _), let .int8WithoutArch(path),
             let .invalidArchitecture(path, _), let .tensorsDoNotFit(path, _), let .alreadyQuantized(path),
             let .needsFloatWeights(path, _), let .noRecordedData(path, _), let .weightNamesDoNotFit(path, _, _, _):
            return path
        }
    }
}

extension DataError: NamesAFile {
    public var file: String? {
        switch self {
        case let .missingFile(path, _, _), let .unreadable(path, _), let .tooFewRows(path, _, _, _), let .noRows(path, _),
             let .featureCount(path, _, _, _, _, _), let .missingColumn(path, _, _, _, _), let .noFeatureColumns(path, _),
             let .labelOutOfRange(path, _, _, _), let .notAClassIndex(path, _, _, _), let .labelNotAClass(path, _, _, _):
            return path
        }
    }
}

extension RunError: NamesAFile {
    public var file: String? {
        switch self {
        case let .notARunDirectory(path), let .noSuchDirectory(path), let .cannotWrite(_, path, _): return path
        case .terminalUnavailable: return nil
        }
    }
}

extension FileWriteError: NamesAFile {
    public var file: String? { path }
}
