import Foundation

extension RunReport {
    /// Writes the Markdown to `markdownPath` and the JSON (sorted keys; ±inf and nan as strings) beside it,
    /// same name with `.json`; returns the JSON's path.
    @discardableResult
    public func write(markdownTo markdownPath: String) throws -> String {
        let jsonPath = (markdownPath as NSString).deletingPathExtension + ".json"
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: markdownPath), options: .atomic)
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try enc.encode(self).write(to: URL(fileURLWithPath: jsonPath), options: .atomic)
        return jsonPath
    }
}
