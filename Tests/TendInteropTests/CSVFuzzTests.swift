import Foundation
import Testing
import TendInterop
import TendCore

/// Bounded, seeded fuzzing of both CSV readers (issue 16: mutated CSVs crashed or hung `tend train`):
/// every mutated input either loads or throws a `CSVError`; labels that load are in 0..<maxClasses.
@Suite struct CSVFuzzTests {
    static let seeds: [String] = [
        "a,b,label\n1,2,0\n3.5,-4,1\n5e2,6,2\n",
        "\"w, cm\",h,label\r\n\"1\",2,0\r\n3,\"4\",1\r\n",
        "text,label\n\"polished , well-structured film .\",1\n\"say \"\"hi\"\"\",0\n\"two\nlines\",1\nplain,0\n",
        "x\n1\n2\n\n",
    ]
    /// Bytes and fragments that tend to break CSV parsers and label handling.
    static let fragments: [String] = [",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "\t", "-1", "2147483648", "100000",
                                      "1e300", "nan", "inf", "-0", "1.5", "\u{FEFF}", "é", "\u{0}", "999", ",,", "\"a,b\""]

    static func mutate(_ text: String, _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<(1 + Int(rng.next() % 4)) {
            let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count + 1))
            switch rng.next() % 5 {
            case 0 where !bytes.isEmpty:  // delete a run
                let n = min(Int(rng.next() % 4) + 1, bytes.count - min(at, bytes.count))
                bytes.removeSubrange(min(at, bytes.count)..<min(at, bytes.count) + n)
            case 1 where !bytes.isEmpty:  // replace a byte
                bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: rng.next())
            case 2:  // truncate
                bytes.removeSubrange(min(at, bytes.count)...)
            default:  // insert a fragment
                bytes.insert(contentsOf: Array(fragments[Int(rng.next() % UInt64(fragments.count))].utf8), at: min(at, bytes.count))
            }
        }
        return bytes
    }

    @Test func mutatedFilesLoadOrThrowCSVErrors() throws {
        var rng = SeededGenerator(seed: 16)
        var loaded = 0, rejected = 0
        let start = Date()
        for i in 0..<2000 {
            let bytes = Self.mutate(Self.seeds[i % Self.seeds.count], &rng)
            let path = "fuzz-\(i).csv"
            do {
                let t = try CSVLoader.parse(bytes: bytes, path: path)
                if let label = t.header.last {
                    let lt = try t.labeled(label: label, maxClasses: 1000)
                    #expect(lt.labels.allSatisfy { $0 >= 0 && $0 < 1000 })
                }
                loaded += 1
            } catch is CSVError { rejected += 1 } catch { Issue.record("numeric case \(i): \(type(of: error)) \(error)") }
            do {
                let t = try CSVTextTable.parse(bytes: bytes, path: path)
                #expect(t.cells.count == t.rows * t.columns && t.lines.count == t.rows)
                if let label = t.header.last { _ = try t.labels(named: label) }
                loaded += 1
            } catch is CSVError { rejected += 1 } catch { Issue.record("text case \(i): \(type(of: error)) \(error)") }
        }
        #expect(loaded > 100 && rejected > 100)  // the mutations exercise both outcomes
        #expect(Date().timeIntervalSince(start) < 60, "fuzzing took too long: a parser is close to hanging")
    }
}
