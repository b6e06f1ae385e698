#!/bin/sh
# Hooks are queued, never dropped: 40 pairs fail at once, more than may
# run together, and every one of them gets its hook.
. "$(dirname "$0")/lib.sh"

N=40
write_conf "hook_timeout = 5s"
mkdir -p "$WORK/hooks"
cat >"$WORK/hooks/default" <<EOH
#!/bin/sh
sleep 1
echo "\$VFBOND_SYNTHETIC" >>"$WORK/ran"
EOH
chmod 755 "$WORK/hooks/default"
start_daemon
# Each pair's master name is taken, so each build fails: one 'failed'
# hook per pair, all at once.
i=0
while [ $i -lt $N ]; do
	mac=$(printf '52:54:00:00:90:%02x' $i)
	tail=$(printf '0090%02x' $i)
	echo "link add syn$i address $mac type veth peer name p-syn$i"
	echo "link add vf$i address $mac type veth peer name p-vf$i"
	echo "link add vfb$tail type veth peer name x-$i"
	i=$((i + 1))
done >"$WORK/batch"
ns ip -batch "$WORK/batch"
ns sh -c "for i in \$(seq 0 $((N - 1))); do ip link set p-syn\$i up; ip link set p-vf\$i up; done"

wait_for "$N hooks" sh -c "[ \$(sort -u '$WORK/ran' 2>/dev/null | wc -l) = $N ]"
grep -q "too many hooks" "$WORK/daemon.log" && fail "hooks were dropped"
echo "ok: $N hooks at once, none dropped"
