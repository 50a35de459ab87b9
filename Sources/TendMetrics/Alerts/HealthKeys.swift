import TendCore

/// Series, gauges and labels the health rules read besides the trainer's own metrics. The checks
/// (drift, fairness, leakage) publish into these; the triage screen draws them as sparklines.
extension MetricKey {
    /// Largest per-feature PSI of the served data against the training data (series, one point per check).
    public static let driftPSIMax: MetricKey = "drift/psi_max"
    /// PSI of the model's predicted-class distribution, served vs training (series).
    public static let driftPSIPrediction: MetricKey = "drift/psi_prediction"
    /// The drift rule's PSI threshold (gauge), for the triage screen's drift panel.
    public static let driftPSIThreshold: MetricKey = "drift/psi_threshold"
    /// Gauge prefix: `drift/psi/<feature>` holds that feature's PSI.
    public static let driftPSIFeaturePrefix = "drift/psi/"
    /// Demographic parity difference on the validation split (series, one point per epoch; worst class).
    public static let fairnessDPDifference: MetricKey = "fairness/dp_difference"
    /// Equalized odds difference on the validation split (series; worst class).
    public static let fairnessEODifference: MetricKey = "fairness/eo_difference"
    /// Rows of validation/test whose features also occur in another split (gauge).
    public static let leakageDuplicates: MetricKey = "leakage/duplicate_rows"
    /// Label with examples of duplicated rows (text).
    public static let leakageDuplicatesDetail: MetricKey = "leakage/duplicate_examples"
    /// Best accuracy of a single feature predicting the label alone (gauge, 0...1).
    public static let leakageFeatureScore: MetricKey = "leakage/single_feature_score"
    /// Label naming the column with that score (text).
    public static let leakageFeatureColumn: MetricKey = "leakage/single_feature_column"
}
