/// The screens of the dashboard.
public enum Screen: String, Sendable, CaseIterable {
    case dashboard, whatIfPruning, quantization, triage, runs, distillation
}
