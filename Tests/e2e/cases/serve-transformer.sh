# `tend dashboard --model DIR --serve-data Samples/rt_polarity.csv --text-column text`: all-MiniLM-L6-v2
# served live on the review sentences (nothing trained), at 120x40 (UTF-8, batch 1, closed loop) and 80x24
# (ASCII, batches of 4 at 20 req/s): real latency figures with tokenization, tokens/s, RSS and model bytes,
# the 39 layers by their Hugging Face names; keys that need training say so; bad --model / column errors.
SERVE_MODEL="${XDG_CACHE_HOME:-$HOME/.cache}/tend/models/all-MiniLM-L6-v2"

serve_case() {
  local name=$1 w=$2 h=$3 envs=$4; shift 4
  echo "e2e: serve transformer ($name, ${w}x${h})"
  start "$name" "$w" "$h" "$envs" --model "$SERVE_MODEL" --serve-data Samples/rt_polarity.csv --text-column text "$@"
  check "serve: status says serving" " serving " 30
  check "serve: loss panel says served, not trained" "serving all-MiniLM-L6-v2, not" 5
  if screen | grep -qF "waiting for first epoch"; then fail "serve: a panel waits for training"; else pass "serve: no panel waits for training"; fi
  if wait_for_re "p50 [0-9.]+(µs|us|ms)  p90 [0-9.]+(µs|us|ms)" 20; then pass "serve: request latency percentiles"; else fail "serve: no latency percentiles"; fi
  if wait_for_re "tokenize p50 [0-9.]+(µs|us|ms)" 10; then pass "serve: tokenization time shown"; else fail "serve: no tokenization time"; fi
  if wait_for_re "[1-9][0-9.]*[kM]? tok/s" 10; then pass "serve: tokens/s"; else fail "serve: no tokens/s"; fi
  if wait_for_re "[0-9.]+[kM]? req/s" 10; then pass "serve: requests/s"; else fail "serve: no req/s"; fi
  if wait_for_re "model [0-9.]+ MiB resident" 5; then pass "serve: model bytes (resident / mapped)"; else fail "serve: no model bytes"; fi
  check "serve: RSS" "RSS" 5
  check "serve: no failed requests" " 0 failed" 5
  local a b
  # The status line's count (the last line; the latency panel's own count refreshes with the charts).
  a=$(screen | tail -1 | grep -oE "[0-9,]+ req" | head -1)
  local tries=0
  b=$a
  while [ "$a" = "$b" ] && [ $tries -lt 16 ]; do sleep 0.5; b=$(screen | tail -1 | grep -oE "[0-9,]+ req" | head -1); tries=$((tries + 1)); done
  if [ -n "$b" ] && [ "$a" != "$b" ]; then pass "serve: requests keep coming ($a-> $b)"; else fail "serve: request count did not move ($a / $b)"; fi
  echo "       measured: $(screen | grep -oE "tokenize p50 [^│|]*" | head -1 | sed 's/ *$//')"
  echo "       measured: $(screen | grep -oE "p50 [0-9.]+(µs|us|ms)  p90 [^│|]*" | head -1 | sed 's/ *$//')"
  echo "       measured: $(screen | grep -oE "[0-9.]+[kM]? tok/s" | head -1), $(screen | grep -oE "[0-9.]+[kM]? req/s" | head -1)"
  $T send-keys -t e2e space
  check "serve: space explains it needs training" "Serving, not training" 5
  $T send-keys -t e2e Escape
  $T send-keys -t e2e x
  check "serve: x explains it needs training" "what-if pruning needs a training" 5
  $T send-keys -t e2e Escape
  $T send-keys -t e2e 5
  if wait_for_re "encoder\.layer\.0\.attention\.self\.query +384[x×]384 +147,840" 5; then pass "serve: layers panel lists encoder.layer.0.attention.self.query"; else fail "serve: no encoder.layer.0.attention.self.query row"; fi
  check "serve: embeddings listed" "embeddings.word_embeddings" 3
  check "serve: layer count" "39 layers" 3
  $T send-keys -t e2e 5
  $T send-keys -t e2e q
  check "serve: q exits 0" "TEND-EXITED-0" 20
  check_alt_off "serve: terminal restored" "serve: alternate screen still on"
  $T kill-server 2>/dev/null
}

if [ -f "$SERVE_MODEL/model.safetensors" ]; then
  serve_case serve-120x40 120 40 "LANG=C.UTF-8 TERM=xterm-256color" --serve-rate 0 --serve-batch 1
  serve_case serve-80x24 80 24 "LANG=C LC_ALL=C TERM=xterm" --serve-rate 20 --serve-batch 4
else
  fail "serve: $SERVE_MODEL missing (run make models)"
fi

echo "e2e: serve transformer (SIGTERM)"
if [ -f "$SERVE_MODEL/model.safetensors" ]; then
  start serve-term 100 30 "LANG=C.UTF-8" --model "$SERVE_MODEL" --serve-data Samples/rt_polarity.csv
  check "serve: dashboard up" " serving " 30
  pid=$(pgrep -f "^$TEND dashboard --model $SERVE_MODEL --serve-data Samples/rt_polarity.csv --out $WORK/serve-term" | head -1)
  if [ -n "$pid" ]; then kill -TERM "$pid"; else fail "serve: could not find the tend process"; fi
  check "serve: SIGTERM exits 143" "TEND-EXITED-143" 20
  check_alt_off "serve: terminal restored after SIGTERM" "serve: alternate screen still on after SIGTERM"
  $T kill-server 2>/dev/null
fi

echo "e2e: serve transformer (bad input)"
out=$("$TEND" dashboard --model "$WORK" --serve-data Samples/rt_polarity.csv 2>&1 </dev/null); rc=$?
if [ $rc -ne 0 ] && printf '%s' "$out" | grep -qF "no config.json"; then pass "serve: --model on a non-model directory names config.json"; else fail "serve: bad --model gave rc $rc: $out"; fi
out=$("$TEND" dashboard --model "$SERVE_MODEL" --serve-data Samples/rt_polarity.csv --text-column review 2>&1 </dev/null); rc=$?
if [ $rc -ne 0 ] && printf '%s' "$out" | grep -qF "columns are: text, label"; then pass "serve: a missing text column lists the columns"; else fail "serve: missing column gave rc $rc: $out"; fi
