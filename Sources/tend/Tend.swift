import ArgumentParser

@main
struct Tend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tend",
        abstract: "Train, serve, watch, prune and quantize models from the terminal.",
        version: "0.1.0",
        subcommands: [DashboardCommand.self, Train.self, Eval.self, Prune.self, Quantize.self, Distill.self, Bench.self, Sample.self, Check.self, Report.self,
                      Watch.self, Inspect.self, Embed.self, Export.self],
        defaultSubcommand: DashboardCommand.self
    )
}
