# Shared by up, down and rehearse (sourced, not run). Every path, name and address the test hosts use is here.
# shellcheck shell=bash

# Where the cached root filesystems live (outside the repository; reused across runs, keyed by the package list).
TH_CACHE="${PULSE_TEST_HOSTS_CACHE:-/var/cache/pulse-test-hosts}"
# Where one run keeps its state: PIDs, overlays, ssh keys, the inventory. `down` needs nothing else.
TH_STATE="${PULSE_TEST_HOSTS_STATE:-/run/pulse-test-hosts}"
# The test hosts' private /24: .1 is the controller (this machine), .11, .12, ... the hosts.
TH_NET="${PULSE_TEST_HOSTS_NET:-10.231.7}"
TH_SUITE=bookworm
TH_MIRROR="${PULSE_TEST_HOSTS_MIRROR:-http://deb.debian.org/debian}"
# Everything the roles need is installed at debootstrap time, so the guests need no network beyond the test net.
TH_PACKAGES=(systemd systemd-sysv dbus openssh-server python3 python3-apt iproute2 procps curl ca-certificates
  containerd runc crun containernetworking-plugins)
# Names of what a run creates (all prefixed, so a leftover is easy to recognise).
TH_HUB_NS=pulse-th-hub        # network namespace holding the bridge every host plugs into
TH_CTL_LINK=pulse-th0         # the controller's end of its veth into the hub (address $TH_NET.1)
# Extra systemd-nspawn options for every host (see docs/deployment.md: what containerd needs in a guest).
TH_NSPAWN_EXTRA=(--capability=CAP_NET_ADMIN --system-call-filter=@keyring)

th_log() { printf '[test-hosts %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
th_die() { th_log "ERROR: $*"; exit 1; }

th_rootfs_key() { printf '%s\n' "$TH_SUITE" "$TH_MIRROR" "${TH_PACKAGES[@]}" | sha256sum | cut -c1-16; }

# Prints the path of the cached root filesystem, building it first when it is missing (~90 s, ~350 MB).
th_rootfs() {
  local key dir tmp
  key="$(th_rootfs_key)"
  dir="$TH_CACHE/rootfs-$key"
  if [ ! -f "$dir/.complete" ]; then
    command -v debootstrap >/dev/null || th_die "debootstrap is missing (apt-get install debootstrap)"
    mkdir -p "$TH_CACHE"
    tmp="$TH_CACHE/.building-$key-$$"
    rm -rf "$tmp"
    th_log "building the root filesystem $dir (debootstrap $TH_SUITE, cached for later runs)"
    local pkgs
    pkgs="$(IFS=,; echo "${TH_PACKAGES[*]}")"
    if ! debootstrap --variant=minbase --include="$pkgs" "$TH_SUITE" "$tmp" "$TH_MIRROR" >"$TH_CACHE/debootstrap-$key.log" 2>&1; then
      rm -rf "$tmp"
      th_die "debootstrap failed; see $TH_CACHE/debootstrap-$key.log"
    fi
    th_prepare_rootfs "$tmp"
    touch "$tmp/.complete"
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi
  echo "$dir"
}

# One-time changes to a fresh root filesystem: root may log in with a key only, no services that wait for a
# network the guests do not configure themselves, containerd off until the role configures it.
th_prepare_rootfs() {
  local root="$1"
  rm -f "$root/etc/machine-id" && : >"$root/etc/machine-id"
  mkdir -p "$root/root/.ssh" && chmod 700 "$root/root/.ssh"
  printf 'PermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n' \
    >"$root/etc/ssh/sshd_config.d/pulse-test-hosts.conf"
  # The guest's address is set from outside (ip -n NS ...): nothing inside should wait for or touch networking.
  chroot "$root" systemctl disable containerd.service >/dev/null 2>&1 || true
  chroot "$root" systemctl mask systemd-networkd-wait-online.service getty@tty1.service \
    console-getty.service >/dev/null 2>&1 || true
  echo 'nameserver 127.0.0.1' >"$root/etc/resolv.conf"
  rm -f "$root"/var/cache/apt/archives/*.deb
}

th_addr() { echo "$TH_NET.$((10 + $1))"; }

# Appends one thing this run created to $TH_STATE/resources; `down` removes them in reverse order.
th_record() { echo "$1 $2" >>"$TH_STATE/resources"; }

# Boots host $1 with systemd-nspawn, restarting it when the guest reboots (nspawn exits 133 then).
# containerd's state is a directory of this machine bind-mounted in (overlayfs cannot be an overlay's upper layer).
th_boot() {
  local i="$1" name="pulse-th$1" dir="$TH_STATE/pulse-th$1"
  local args=(-D "$dir/root" -M "$name" -b --console=pipe --register=no --keep-unit
    --network-namespace-path="/run/netns/$name"
    --bind="$dir/containerd:/var/lib/containerd"
    "${TH_NSPAWN_EXTRA[@]}")
  # Own cgroups per host in every v1 hierarchy: nspawn on a host without systemd puts its "payload" and
  # "supervisor" groups beside itself, so two hosts in one cgroup would collide; the guests' containers land below.
  local cgroups=() hier path cg
  while IFS=: read -r _ hier path; do
    hier="${hier#name=}"; hier="${hier:-unified}"   # "0::/path" is cgroup2, mounted at unified/ in hybrid mode
    [ -d "/sys/fs/cgroup/$hier" ] && [ "$(stat -f -c %T "/sys/fs/cgroup/$hier")" != tmpfs ] || continue
    cg="/sys/fs/cgroup/$hier${path%/}/$name"
    mkdir -p "$cg" && th_record cgroup "$cg" && cgroups+=("$cg")
    if [ "$hier" = cpuset ]; then   # a cpuset group takes no process before it has CPUs and memory nodes
      cat "$(dirname "$cg")/cpuset.cpus" >"$cg/cpuset.cpus"
      cat "$(dirname "$cg")/cpuset.mems" >"$cg/cpuset.mems"
    fi
  done </proc/self/cgroup
  setsid bash -c '
    pidfile="$1"; log="$2"; cgroups="$3"; shift 3
    for cg in $cgroups; do echo $$ >"$cg/cgroup.procs"; done
    while :; do
      systemd-nspawn "$@" </dev/null >>"$log" 2>&1 &
      echo $! >"$pidfile"
      rc=0; wait $! || rc=$?
      [ "$rc" = 133 ] || exit "$rc"
      echo "--- guest rebooted; starting it again" >>"$log"
    done' pulse-th-boot "$dir/nspawn.pid" "$dir/console.log" "${cgroups[*]}" "${args[@]}" &
  echo $! >"$dir/loop.pid"
  th_record host "$name"
}

th_ssh() { local i="$1"; shift; ssh -F "$TH_STATE/ssh_config" "pulse-th$i" "$@"; }

th_wait_ssh() {
  local deadline=$((SECONDS + 90))
  while [ $SECONDS -lt $deadline ]; do
    if th_ssh "$1" true 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  return 1
}

# The inventory the rehearsal deploys with (see docs/deployment.md): control-plane replicas on up to three hosts,
# data planes on the first two, workers on every host but the first when there are two or more (on every host with
# PULSE_TEST_HOSTS_WORKERS=all, as the fault rehearsal wants).
th_write_inventory() {
  local n="$1" i cps dps wks
  if [ "$n" -ge 3 ]; then cps="1 2 3"; else cps="1"; fi   # 1 or 3 replicas: 2 would need both for a majority
  if [ "$n" -ge 2 ]; then dps="1 2"; else dps="1"; fi
  if [ "$n" -ge 2 ] && [ "${PULSE_TEST_HOSTS_WORKERS:-}" != all ]; then wks="$(seq -s ' ' 2 "$n")"; else wks="$(seq -s ' ' 1 "$n")"; fi
  {
    echo "# Written by deploy/test-hosts/up for $n test host(s)."
    echo "all:"
    echo "  vars:"
    echo "    ansible_user: root"
    echo "    ansible_ssh_private_key_file: $TH_STATE/id_ed25519"
    echo "    ansible_ssh_common_args: -F $TH_STATE/ssh_config"
    echo "    ansible_python_interpreter: /usr/bin/python3"
    echo "  hosts:"
    for i in $(seq 1 "$n"); do echo "    pulse-th$i: {ansible_host: $(th_addr "$i")}"; done
    echo "  children:"
    for group in control_plane:"$cps" data_plane:"$dps" workers:"$wks"; do
      echo "    ${group%%:*}:"
      echo "      hosts:"
      for i in ${group#*:}; do echo "        pulse-th$i: {}"; done
    done
    echo "    k8s_bridge:"
    echo "      hosts: {}"
  } >"$TH_STATE/inventory.yml"
}

# Per-run changes inside a guest's overlay. nspawn mounts the cgroup v1 controllers read-only in the guest; runc
# (containerd's tasks) must create groups there, so a unit remounts them read-write before containerd starts.
th_guest_setup() {
  local root="$1"
  cat >"$root/etc/systemd/system/pulse-test-cgroups-rw.service" <<'UNIT'
[Unit]
Description=Make the cgroup v1 controllers writable for runc (Pulse test host under systemd-nspawn)
DefaultDependencies=no
After=sysinit.target
Before=containerd.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'for c in /sys/fs/cgroup/*/; do mount -o remount,bind,rw "$c"; done'

[Install]
WantedBy=multi-user.target
UNIT
  mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
  ln -sf ../pulse-test-cgroups-rw.service "$root/etc/systemd/system/multi-user.target.wants/pulse-test-cgroups-rw.service"
}
