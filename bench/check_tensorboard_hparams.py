"""Checks a Tend run directory with the tensorboard package: HParams plugin data and text summaries.

Usage: /work/venv/bin/python bench/check_tensorboard_hparams.py RUN_DIR [--expect-text alerts,actions]
Loads the run with TensorBoard's EventAccumulator, parses the `_hparams_/*` values with the plugin's own
metadata readers (experiment, session start, session end), checks the hyperparameters against the
run's config.json and the metrics against the scalar tags, and lists the text tags. Exit 0 when all hold.
"""
import json
import os
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import api_pb2, metadata


def main(run, expect_text):
    acc = EventAccumulator(run, size_guidance={"tensors": 0, "scalars": 0})
    acc.Reload()
    content = acc.PluginTagToContent(metadata.PLUGIN_NAME)
    tags = sorted(content)
    assert tags == sorted([metadata.EXPERIMENT_TAG, metadata.SESSION_START_INFO_TAG, metadata.SESSION_END_INFO_TAG]), tags

    experiment = metadata.parse_experiment_plugin_data(content[metadata.EXPERIMENT_TAG])
    start = metadata.parse_session_start_info_plugin_data(content[metadata.SESSION_START_INFO_TAG])
    end = metadata.parse_session_end_info_plugin_data(content[metadata.SESSION_END_INFO_TAG])

    config = json.load(open(os.path.join(run, "config.json")))
    hp = start.hparams
    assert abs(hp["learning_rate"].number_value - config["learningRate"]) < 1e-9, hp["learning_rate"]
    assert hp["batch_size"].number_value == config["batchSize"], hp["batch_size"]
    assert hp["epochs"].number_value == config["epochs"], hp["epochs"]
    assert hp["optimizer"].string_value == config["optimizer"], hp["optimizer"]
    names = [i.name for i in experiment.hparam_infos]
    assert set(names) == set(hp.keys()), (names, list(hp.keys()))
    types = {i.name: i.type for i in experiment.hparam_infos}
    assert types["optimizer"] == api_pb2.DATA_TYPE_STRING and types["learning_rate"] == api_pb2.DATA_TYPE_FLOAT64
    scalars = set(acc.Tags()["scalars"]) | set(acc.Tags().get("tensors", []))
    metrics = [m.name.tag for m in experiment.metric_infos]
    missing = [m for m in metrics if m not in scalars]
    assert not missing, f"metrics without scalars: {missing}"
    assert end.status == api_pb2.STATUS_SUCCESS, end

    text_tags = sorted(acc.PluginTagToContent("text"))
    for t in expect_text:
        assert t in text_tags, f"no text tag {t!r} in {text_tags}"
    print(json.dumps({"run": run, "hparams": {k: (v.number_value if v.HasField("number_value") else v.string_value)
                                             for k, v in hp.items()},
                      "metrics": metrics, "status": api_pb2.Status.Name(end.status), "text_tags": text_tags,
                      "tensorboard": __import__("tensorboard").__version__}))


if __name__ == "__main__":
    args = sys.argv[1:]
    expect = []
    if "--expect-text" in args:
        i = args.index("--expect-text")
        expect = args[i + 1].split(",")
        del args[i:i + 2]
    main(args[0], expect)
