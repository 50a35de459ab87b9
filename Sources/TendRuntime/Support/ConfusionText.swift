/// The matrix with each row and column headed by its data label (`labels[k]`, else k).
public func formatConfusion(_ m: [[Int]], labels: [Int] = []) -> String {
    func name(_ k: Int) -> String { k < labels.count ? String(labels[k]) : String(k) }
    let width = max(3, (m.flatMap { $0 }.max() ?? 0).description.count + 1, (labels.max() ?? 0).description.count + 1)
    func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
    var lines = ["      " + (0..<m.count).map { pad(name($0)) }.joined()]
    for (i, row) in m.enumerated() { lines.append(pad(name(i)) + "   " + row.map { pad(String($0)) }.joined()) }
    return lines.joined(separator: "\n")
}
