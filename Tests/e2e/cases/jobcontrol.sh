# Job control: Ctrl-Z gives the shell a clean terminal and stops the run; `fg` repaints every panel (frames
# are diffs, so a stale screen would otherwise stay half blank) and training goes on.

echo "e2e: job control (Ctrl-Z, fg; 120x40)"
$T kill-server 2>/dev/null
$T -f /dev/null new-session -d -s e2e -x 120 -y 40 "bash --norc --noprofile" || fail "tmux could not start (job control)"
sleep 0.5
$T send-keys -t e2e "cd '$PWD' && env LANG=C.UTF-8 TERM=xterm-256color '$TEND' dashboard --epochs 100000 --out '$WORK/jobs'" Enter
check "jobs: panels appear" "Loss" 20
$T send-keys -t e2e C-z
check "jobs: Ctrl-Z stops the run and shows the shell" "Stopped" 5
$T send-keys -t e2e "fg" Enter
sleep 2
borders=$(screen | grep -c '│')
if [ "$borders" -ge 30 ] && screen | grep -qF "Layers"; then pass "jobs: fg repaints every panel ($borders bordered rows)"
else fail "jobs: after fg only $borders bordered rows (stale screen?)"; fi
check "jobs: training continues after fg" "training" 5
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "jobs: quits" "tend: run saved in" 20   # (a stopped job ends a shell list: no exit-code echo here)
$T kill-server 2>/dev/null
