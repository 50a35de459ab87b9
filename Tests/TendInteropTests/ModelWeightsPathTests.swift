import Foundation
import Testing
import TendInterop

@Suite struct ModelWeightsPathTests {
    @Test func aModelDirectoryStandsForItsSafetensorsFile() throws {
        #expect(try ModelWeightsPath.resolve(BertFixtures.tinyModel) == BertFixtures.tinyModel + "/model.safetensors")
        #expect(try ModelWeightsPath.resolve(BertFixtures.tinyModel + "/") == BertFixtures.tinyModel + "/model.safetensors")
        let file = BertFixtures.tinyModel + "/model.safetensors"
        #expect(try ModelWeightsPath.resolve(file) == file)
    }

    @Test func shardedDirectoriesResolveToTheirOnlyShardOrListThem() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        _ = dir.write("model.safetensors.index.json", #"{"weight_map":{"a":"model-00001-of-00001.safetensors","b":"model-00001-of-00001.safetensors"}}"#)
        #expect(try ModelWeightsPath.resolve(dir.path) == dir.path + "/model-00001-of-00001.safetensors")
        _ = dir.write("model.safetensors.index.json", #"{"weight_map":{"a":"s1.safetensors","b":"s2.safetensors"}}"#)
        do { _ = try ModelWeightsPath.resolve(dir.path); Issue.record("two shards accepted") } catch {
            #expect("\(error)".contains("2 shards") && "\(error)".contains(dir.path + "/s2.safetensors"))
        }
    }

    @Test func aDirectoryWithoutWeightsSaysWhatIsMissing() {
        let dir = TempDir(); defer { dir.cleanup() }
        do { _ = try ModelWeightsPath.resolve(dir.path); Issue.record("empty directory accepted") } catch {
            #expect("\(error)".contains("no model.safetensors"))
        }
    }
}
