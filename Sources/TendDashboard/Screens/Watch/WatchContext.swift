import TendMetrics

/// What the watch screen's keys act on in the current frame, derived from the newest `RunsSnapshot` and
/// the state: the runs listed (after the filter), the tags offered (after the filter), the tag on each
/// panel, and how many panels and run rows fit on the screen. Pure.
public struct WatchContext: Sendable, Equatable {
    /// Run names listed, sorted: those matching the filter, or all when none match.
    public var runs: [String]
    /// Tags offered: those matching the filter, or all when none match; loss tags first, then by name.
    public var tags: [String]
    /// Every scalar tag of the logdir, sorted (the tag picker lists these).
    public var allTags: [String]
    /// The tag of each panel on screen (nil: no tag left for it).
    public var panelTags: [String?]
    /// Run rows visible at once in the run list (a page for pgup/pgdn).
    public var pageRows: Int

    public init(runs: [String], tags: [String], allTags: [String], panelTags: [String?], pageRows: Int) {
        self.runs = runs; self.tags = tags; self.allTags = allTags; self.panelTags = panelTags; self.pageRows = pageRows
    }

    public init(snapshot: RunsSnapshot, state: WatchState, width: Int, height: Int) {
        let layout = WatchLayout(width: width, height: height, filterLine: state.editingFilter || !state.filter.isEmpty)
        self.init(runNames: snapshot.runs.map(\.name), tags: snapshot.tags, state: state,
                  panels: layout.panels.count, pageRows: max(1, layout.runRows))
    }

    public init(runNames: [String], tags: [String], state: WatchState, panels: Int, pageRows: Int) {
        let f = state.nameFilter
        let matchingRuns = runNames.filter(f.matches)
        runs = f.isEmpty || matchingRuns.isEmpty ? runNames : matchingRuns
        let matchingTags = tags.filter(f.matches)
        let offered = f.isEmpty || matchingTags.isEmpty ? tags : matchingTags
        self.tags = offered.filter { $0.lowercased().contains("loss") } + offered.filter { !$0.lowercased().contains("loss") }
        allTags = tags
        // Pinned tags first; the other panels take the offered tags in order, skipping pinned ones.
        let pinned = Set((0..<panels).compactMap { state.panelTags[$0] })
        var free = self.tags.filter { !pinned.contains($0) }.makeIterator()
        panelTags = (0..<panels).map { i in state.panelTags[i] ?? free.next() }
        self.pageRows = pageRows
    }

    /// Index of the cursor row in `runs` (0 when the cursor run is not listed).
    public func cursorIndex(_ state: WatchState) -> Int {
        guard let name = state.cursorRun, let i = runs.firstIndex(of: name) else { return 0 }
        return i
    }

    /// Tags the tag picker lists for `query`.
    public func pickerTags(_ query: String) -> [String] {
        let f = NameFilter(query)
        return allTags.filter(f.matches)
    }
}
