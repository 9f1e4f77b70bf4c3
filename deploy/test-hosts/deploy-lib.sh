# Deploying Pulse onto the test hosts: shared by rehearse and faults (sourced after lib.sh, not run). Each function
# sets the globals it names; $repo is the repository's root.
# shellcheck shell=bash

# Sets $version and $tarball: PULSE_TARBALL, or the build's own (made with ./mvnw package when missing).
td_release_tarball() {
  version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$repo/pom.xml" | head -1)"
  tarball="${PULSE_TARBALL:-$repo/dist/target/pulse-$version.tar.gz}"
  if [ ! -f "$tarball" ]; then
    th_log "building $tarball (./mvnw -B -q -DskipTests package)"
    (cd "$repo" && ./mvnw -B -q -DskipTests package)
  fi
  [ -f "$tarball" ] || th_die "no tarball at $tarball"
}

# Sets $jre: a Java runtime for the hosts (Debian 12 has no Java 21), made with jlink once and cached.
td_host_jre() {
  local java_home="${JAVA_HOME:-}" j v jre_key work mods
  if [ -z "$java_home" ] || [ ! -x "$java_home/bin/jlink" ]; then
    for j in /usr/lib/jvm/*; do
      v="$("$j/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2; exit}')" || continue
      if [ -x "$j/bin/jlink" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then java_home="$j"; fi
    done
  fi
  [ -x "$java_home/bin/jlink" ] || th_die "no JDK >= 21 with jlink found (JAVA_HOME, /usr/lib/jvm)"
  jre_key="$("$java_home/bin/java" -version 2>&1 | sha256sum | cut -c1-12)"
  jre="$TH_CACHE/jre-$jre_key.tar.gz"
  if [ ! -f "$jre" ]; then
    th_log "making $jre with jlink from $java_home (every module but jlink's own, stripped; cached)"
    mkdir -p "$TH_CACHE"
    work="$(mktemp -d)"
    mods="$("$java_home/bin/java" --list-modules | cut -d@ -f1 | grep -v -x -e jdk.jlink -e jdk.jpackage | paste -sd,)"
    "$java_home/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages \
      --output "$work/jre" 2>&1 | grep -v 'incubator' || true
    tar -C "$work" -cf - jre | gzip -1 >"$jre.tmp" && mv "$jre.tmp" "$jre"
    rm -rf "$work"
  fi
}

# Sets $image: starts a registry on $1:5000 (stopped by down) and pushes the busybox httpd image to it.
td_registry_with_image() {
  local ctl="$1"
  mkdir -p "$TH_STATE/registry"
  cat >"$TH_STATE/registry/config.yml" <<YAML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $TH_STATE/registry/storage}}
http: {addr: "$ctl:5000"}
YAML
  docker-registry serve "$TH_STATE/registry/config.yml" >"$TH_STATE/registry/registry.log" 2>&1 &
  echo $! >"$TH_STATE/registry.pid"; th_record pid "$TH_STATE/registry.pid"
  for _ in $(seq 1 100); do curl -fsS "http://$ctl:5000/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  image="$(python3 "$here/push-image.py" "$ctl:5000" pulse/httpd v1)"
}

# Sets $inventory and writes $TH_STATE/rehearsal-vars.yml: the variables every playbook run here gets (small heaps,
# the registry on $1:5000), plus the YAML lines given on stdin.
td_ansible_vars() {
  export ANSIBLE_CONFIG="$repo/deploy/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1
  export ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks   # per-task timings at the end of each playbook log
  inventory="$TH_STATE/inventory.yml"
  {
    cat <<YAML
pulse_tarball: $tarball
pulse_jdk_archive: $jre
pulse_apt_update_cache: false
pulse_worker_insecure_registries: ["$1:5000"]
pulse_cp_java_opts: -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError
pulse_dp_java_opts: -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError
pulse_worker_java_opts: -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError
pulse_worker_memory_mib: 2048
YAML
    cat
  } >"$TH_STATE/rehearsal-vars.yml"
}

# Runs one playbook with the inventory and variables above: $1 = log name, rest = ansible-playbook arguments.
td_playbook() {
  local log="$TH_STATE/$1.log"; shift
  if ! ansible-playbook -i "$inventory" -e "@$TH_STATE/rehearsal-vars.yml" "$@" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    th_die "ansible-playbook $* (log: $log)"
  fi
  sed -n '/PLAY RECAP/,/^$/p' "$log" | grep '^pulse-th' >&2
  grep -A4 '^=====' "$log" | tail -n 4 | sed 's/^/  slowest: /' >&2
}

# The Pulse units' and containerd's journals of hosts 1..$1, kept by down in $TH_CACHE/last-run.
td_journals() {
  local i
  for i in $(seq 1 "$1"); do
    th_ssh "$i" 'journalctl --no-pager -o short-precise -u "pulse-*" -u containerd' >"$TH_STATE/pulse-th$i-journal.log" 2>&1 || true
  done
}
