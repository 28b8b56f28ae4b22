#!/usr/bin/env bash
# kube-ha-etcd: etcd membership for one kube-ha member (rendered by kube-ha; see --help).
#
# Joins never risk quorum: a new member is added as a learner, started, and
# promoted only once it has caught up. Removals check quorum first and move
# leadership away from the member being removed. Every command is safe to
# re-run after a crash at any step.
set -euo pipefail

# --- defaults, filled in by kube-ha's renderer; environment variables override them ---
DEFAULT_CONFIG_DIR='/etc/kube-ha/etcd'
DEFAULT_DATA_DIR='/var/lib/etcd/data'
DEFAULT_PKI_DIR='/etc/kubernetes/pki'
DEFAULT_START_CMD='systemctl daemon-reload && systemctl enable --now --no-block kube-ha-etcd.service'
DEFAULT_ETCDCTL='etcdctl'
# --- end of defaults ---

readonly EX_OK=0 EX_FAILED=1 EX_REFUSED=2 EX_UNAVAILABLE=3 EX_USAGE=64 EX_MISSING=69
PROG=$(basename "$0")

usage() {
  cat <<EOF
Usage: $PROG [--endpoints URLS] [--timeout SECONDS] COMMAND

Commands:
  bootstrap            Found a new cluster with this member (or with every member of
                       KUBE_HA_ETCD_INITIAL_CLUSTER, each running bootstrap). With a data
                       directory already present it only starts the member.
  join                 Join the cluster at ETCD_ENDPOINTS: preflight (every voter healthy,
                       no learner pending, no alarm), member add --learner, start with
                       initial-cluster-state=existing, wait for catch-up, member promote.
                       Retries with backoff; safe to re-run after a crash at any step.
  remove NAME          Remove member NAME, run from a surviving member. Refuses when the
                       remaining healthy voters would be fewer than the new quorum; moves
                       leadership away first if NAME leads. A member already gone is success.
                       Works when NAME's machine is dead. --peer-url URL also matches a
                       member that was added but never started (it has no name yet).
  status               One-screen table: member, learner|voter, healthy, leader, DB size,
                       raft index. Exit 3: a member is unhealthy or blocks joins.

Options:
  --endpoints URLS     Same as ETCD_ENDPOINTS.
  --timeout SECONDS    Same as KUBE_HA_ETCD_TIMEOUT.
  --peer-url URL       (remove) Match the member by peer URL as well as by name.
  -h, --help           This text.

Environment (also read from \$KUBE_HA_ETCD_ENV_FILE, default $DEFAULT_CONFIG_DIR/member.env;
the environment wins over the file):
  KUBE_HA_ETCD_NAME            this member's name (bootstrap, join)
  KUBE_HA_ETCD_PEER_URL        this member's peer URL, https://ADDRESS:2380 (bootstrap, join)
  KUBE_HA_ETCD_CLIENT_URL      this member's client URL, https://ADDRESS:2379
  ETCD_ENDPOINTS               comma-separated client URLs of other members (may be empty)
  KUBE_HA_ETCD_INITIAL_CLUSTER bootstrap only: NAME=PEER_URL,... of every founding member
                               (default: this member alone)
  KUBE_HA_ETCD_CONFIG_DIR      rendered config.yaml lives here; member.yaml is written here
                               (default $DEFAULT_CONFIG_DIR)
  KUBE_HA_ETCD_DATA_DIR        the member's data directory (default $DEFAULT_DATA_DIR)
  KUBE_HA_PKI_DIR              kubeadm-layout PKI directory (default $DEFAULT_PKI_DIR); etcdctl
                               uses etcd/ca.crt and etcd/server.{crt,key} from it
  KUBE_HA_ETCD_START           shell command that starts the member process; it sees
                               KUBE_HA_ETCD_MEMBER_CONFIG (default: $DEFAULT_START_CMD)
  KUBE_HA_ETCDCTL              etcdctl binary (default $DEFAULT_ETCDCTL)
  KUBE_HA_ETCD_TIMEOUT         seconds a command may wait and retry in all (default 600)
  KUBE_HA_ETCD_BACKOFF_MAX     longest pause between retries, seconds (default 16)
  KUBE_HA_ETCD_DIAL_TIMEOUT    seconds to connect to one endpoint (default 3)
  KUBE_HA_ETCD_COMMAND_TIMEOUT seconds for one etcd request (default 10)

Exit codes:
  0   done (or nothing to do)
  1   failed unexpectedly (see the message)
  2   refused: the change is unsafe or conflicts with the cluster (nothing was changed)
  3   the cluster is unhealthy, unreachable, or did not converge before the timeout
  64  usage error (bad command, flag or missing input)
  69  a required program is missing (etcdctl)
EOF
}

log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$PROG" "$*" >&2; }
die() {
  local code=$1
  shift
  log "error: $*"
  exit "$code"
}

# Read KEY=value lines from the member's env file for keys not set in the environment.
load_env_file() {
  local file=$1 line key value
  [ -r "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    case $key in KUBE_HA_* | ETCD_ENDPOINTS) ;; *) continue ;; esac
    [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    [ -n "${!key+x}" ] && continue
    value=${value#\'}
    value=${value%\'}
    export "$key=$value"
  done <"$file"
}

# --- arguments ----------------------------------------------------------------
COMMAND=""
TARGET=""
TARGET_PEER_URL=""
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) usage; exit "$EX_OK" ;;
    --endpoints) [ $# -ge 2 ] || die "$EX_USAGE" "--endpoints needs a value"; export ETCD_ENDPOINTS=$2; shift 2 ;;
    --endpoints=*) export ETCD_ENDPOINTS=${1#*=}; shift ;;
    --timeout) [ $# -ge 2 ] || die "$EX_USAGE" "--timeout needs a value"; export KUBE_HA_ETCD_TIMEOUT=$2; shift 2 ;;
    --timeout=*) export KUBE_HA_ETCD_TIMEOUT=${1#*=}; shift ;;
    --peer-url) [ $# -ge 2 ] || die "$EX_USAGE" "--peer-url needs a value"; TARGET_PEER_URL=$2; shift 2 ;;
    --peer-url=*) TARGET_PEER_URL=${1#*=}; shift ;;
    -*) die "$EX_USAGE" "unknown option $1 (see $PROG --help)" ;;
    *)
      if [ -z "$COMMAND" ]; then COMMAND=$1
      elif [ "$COMMAND" = remove ] && [ -z "$TARGET" ]; then TARGET=$1
      else die "$EX_USAGE" "unexpected argument $1 (see $PROG --help)"
      fi
      shift ;;
  esac
done
case $COMMAND in
  bootstrap | join | status) ;;
  remove) [ -n "$TARGET" ] || [ -n "$TARGET_PEER_URL" ] || die "$EX_USAGE" "remove needs a member NAME (see $PROG --help)" ;;
  '') usage >&2; exit "$EX_USAGE" ;;
  *) die "$EX_USAGE" "unknown command $COMMAND: use bootstrap, join, remove NAME or status" ;;
esac

load_env_file "${KUBE_HA_ETCD_ENV_FILE:-$DEFAULT_CONFIG_DIR/member.env}"

NAME=${KUBE_HA_ETCD_NAME:-}
PEER_URL=${KUBE_HA_ETCD_PEER_URL:-}
CLIENT_URL=${KUBE_HA_ETCD_CLIENT_URL:-}
ENDPOINTS=${ETCD_ENDPOINTS:-}
CONFIG_DIR=${KUBE_HA_ETCD_CONFIG_DIR:-$DEFAULT_CONFIG_DIR}
DATA_DIR=${KUBE_HA_ETCD_DATA_DIR:-$DEFAULT_DATA_DIR}
PKI_DIR=${KUBE_HA_PKI_DIR:-$DEFAULT_PKI_DIR}
START_CMD=${KUBE_HA_ETCD_START:-$DEFAULT_START_CMD}
ETCDCTL=${KUBE_HA_ETCDCTL:-$DEFAULT_ETCDCTL}
TIMEOUT=${KUBE_HA_ETCD_TIMEOUT:-600}
BACKOFF_MAX=${KUBE_HA_ETCD_BACKOFF_MAX:-16}
DIAL_TIMEOUT=${KUBE_HA_ETCD_DIAL_TIMEOUT:-3}
COMMAND_TIMEOUT=${KUBE_HA_ETCD_COMMAND_TIMEOUT:-10}
CACERT=$PKI_DIR/etcd/ca.crt
CERT=$PKI_DIR/etcd/server.crt
KEY=$PKI_DIR/etcd/server.key
CONFIG_FILE=$CONFIG_DIR/config.yaml
INITIAL_FILE=$CONFIG_DIR/initial-cluster.yaml
MEMBER_CONFIG=$CONFIG_DIR/member.yaml

for n in "$TIMEOUT" "$BACKOFF_MAX" "$DIAL_TIMEOUT" "$COMMAND_TIMEOUT"; do
  if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then die "$EX_USAGE" "timeouts must be positive whole seconds, got '$n'"; fi
done
command -v "$ETCDCTL" >/dev/null 2>&1 ||
  die "$EX_MISSING" "$ETCDCTL not found: install etcdctl (the etcd release's client) or set KUBE_HA_ETCDCTL"
for f in "$CACERT" "$CERT" "$KEY"; do
  [ -r "$f" ] || die "$EX_FAILED" "cannot read $f: this member's key material is missing (set KUBE_HA_PKI_DIR?)"
done
unset ETCDCTL_ENDPOINTS ETCDCTL_CACERT ETCDCTL_CERT ETCDCTL_KEY ETCDCTL_API

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ERRFILE=$WORK/stderr
DEADLINE=$((SECONDS + TIMEOUT))
BACKOFF=1

# --- etcdctl ------------------------------------------------------------------
# ctl ENDPOINTS ARGS...: etcdctl over mutual TLS; its stderr is kept in $ERRFILE.
ctl() {
  local eps=$1
  shift
  ETCDCTL_API=3 "$ETCDCTL" --endpoints="$eps" --cacert="$CACERT" --cert="$CERT" --key="$KEY" \
    --dial-timeout="${DIAL_TIMEOUT}s" --command-timeout="${COMMAND_TIMEOUT}s" "$@" 2>"$ERRFILE"
}
# The last etcdctl error, one line, for messages.
ctl_error() {
  local msg
  msg=$(sed -n 's/^Error: //p' "$ERRFILE" | tail -n 1)
  [ -n "$msg" ] || msg=$(grep -v '^{' "$ERRFILE" | tail -n 1 || true)
  printf '%s' "${msg:-no error text}"
}
ctl_error_has() { grep -qi -- "$1" "$ERRFILE"; }
# reachable URL: a TCP connection to the URL's host:port opens within the dial timeout.
# etcdctl spends its whole command timeout on a dead endpoint; this fails fast instead.
reachable() {
  local hostport=${1#*://}
  hostport=${hostport%%/*}
  [ -n "$hostport" ] || return 1
  # shellcheck disable=SC2016 # $0 and $1 expand in the inner shell, on purpose
  if timeout "$DIAL_TIMEOUT" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "${hostport%:*}" "${hostport##*:}" 2>/dev/null; then return 0; fi
  printf 'Error: %s does not accept connections\n' "$1" >"$ERRFILE"
  return 1
}

# Wait before the next attempt, or give up with CODE and MESSAGE once past the deadline.
retry_or_die() {
  local code=$1 msg=$2
  if [ $((SECONDS + BACKOFF)) -gt "$DEADLINE" ]; then
    die "$code" "$msg (gave up after ${TIMEOUT}s; KUBE_HA_ETCD_TIMEOUT raises the limit)"
  fi
  log "$msg; retrying in ${BACKOFF}s"
  sleep "$BACKOFF"
  BACKOFF=$((BACKOFF * 2))
  [ "$BACKOFF" -le "$BACKOFF_MAX" ] || BACKOFF=$BACKOFF_MAX
}
reset_backoff() { BACKOFF=1; }

split_commas() { # split_commas TEXT: one item a line, blanks dropped
  local item
  local -a items=()
  IFS=',' read -r -a items <<<"$1"
  for item in "${items[@]}"; do
    item=${item// /}
    [ -n "$item" ] && printf '%s\n' "$item"
  done
  return 0
}

# --- cluster view -------------------------------------------------------------
M_ID=() M_STATUS=() M_NAME=() M_PEER=() M_CLIENT=() M_LEARNER=()
LIST_EP=""
# load_members FIRST_SELF|LAST_SELF: read the member list from the first endpoint that answers.
load_members() {
  local order=$1 ep out line id st name peer client learner
  local -a candidates=()
  if [ "$order" = first-self ] && [ -n "$CLIENT_URL" ]; then candidates+=("$CLIENT_URL"); fi
  while IFS= read -r ep; do
    [ "$ep" = "$CLIENT_URL" ] || candidates+=("$ep")
  done < <(split_commas "$ENDPOINTS")
  if [ "$order" = last-self ] && [ -n "$CLIENT_URL" ]; then candidates+=("$CLIENT_URL"); fi
  for ep in "${candidates[@]}"; do
    reachable "$ep" || continue
    out=$(ctl "$ep" member list -w simple) || continue
    M_ID=() M_STATUS=() M_NAME=() M_PEER=() M_CLIENT=() M_LEARNER=()
    while IFS= read -r line; do
      [ -n "$line" ] || continue
      IFS='|' read -r id st name peer client learner <<<"${line//, /|}"
      M_ID+=("$id") M_STATUS+=("$st") M_NAME+=("$name") M_PEER+=("$peer") M_CLIENT+=("$client") M_LEARNER+=("$learner")
    done <<<"$out"
    LIST_EP=$ep
    return 0
  done
  return 1
}
# Comma-separated client URLs of started voting members (optionally excluding one index).
voter_endpoints() {
  local skip=${1:--1} i out=""
  for i in "${!M_ID[@]}"; do
    [ "$i" = "$skip" ] && continue
    [ "${M_LEARNER[$i]}" = false ] && [ -n "${M_CLIENT[$i]}" ] && out=${out:+$out,}${M_CLIENT[$i]}
  done
  printf '%s' "$out"
}
label() { # label INDEX: the member's name, or its peer URL while it has none
  local i=$1
  if [ -n "${M_NAME[$i]}" ]; then printf '%s' "${M_NAME[$i]}"; else printf '(unstarted %s)' "${M_PEER[$i]}"; fi
}
is_healthy() { reachable "$1" && ctl "$1" endpoint health >/dev/null; }

S_DB="" S_IS_LEADER="" S_INDEX="" S_APPLIED=""
# ep_status URL: fills S_* (DB size in bytes, leader true|false, raft and applied index); fails when
# the endpoint does not answer or its answer cannot be read. Parsed from `endpoint status -w fields`,
# one '"Key" : value' line per field, found by key: the same in etcd 3.4 and 3.5, whereas the
# columns of -w simple / table move between releases.
ep_status() {
  local out line key value member="" leader=""
  S_DB="" S_IS_LEADER="" S_INDEX="" S_APPLIED=""
  reachable "$1" || return 1
  out=$(ctl "$1" endpoint status -w fields) || return 1
  while IFS= read -r line; do
    [[ $line =~ ^\"([A-Za-z]+)\"\ :\ *(.*)$ ]] || continue
    key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
    value=${value%$'\r'}
    case $key in # the first block only: one endpoint was asked
      MemberID) [ -n "$member" ] || member=$value ;;
      Leader) [ -n "$leader" ] || leader=$value ;;
      DBSize) [ -n "$S_DB" ] || S_DB=$value ;;
      RaftIndex) [ -n "$S_INDEX" ] || S_INDEX=$value ;;
      RaftAppliedIndex) [ -n "$S_APPLIED" ] || S_APPLIED=$value ;;
    esac
  done <<<"$out"
  if ! [[ $member =~ ^[0-9]+$ && $leader =~ ^[0-9]+$ && $S_DB =~ ^[0-9]+$ && $S_INDEX =~ ^[0-9]+$ ]]; then
    printf 'Error: cannot read the endpoint status of %s (etcdctl -w fields gave no MemberID, Leader, DBSize or RaftIndex)\n' "$1" >"$ERRFILE"
    S_DB="" S_IS_LEADER="" S_INDEX="" S_APPLIED=""
    return 1
  fi
  [[ $S_APPLIED =~ ^[0-9]+$ ]] || S_APPLIED=$S_INDEX
  if [ "$leader" != 0 ] && [ "$leader" = "$member" ]; then S_IS_LEADER=true; else S_IS_LEADER=false; fi
}
# human_bytes N: N bytes as etcd prints sizes (SI units: 20 kB, 1.3 MB).
human_bytes() {
  local n=$1 unit=B div=1 u tenths
  for u in kB MB GB TB; do
    [ "$n" -ge $((div * 1000)) ] || break
    div=$((div * 1000)) unit=$u
  done
  tenths=$(((n * 10 + div / 2) / div))
  if [ "$div" -eq 1 ] || [ "$tenths" -ge 100 ]; then printf '%s %s' $(((n + div / 2) / div)) "$unit"
  else printf '%s.%s %s' $((tenths / 10)) $((tenths % 10)) "$unit"
  fi
}
# Index of the current leader among the members, or -1.
leader_index() {
  local i
  for i in "${!M_ID[@]}"; do
    [ "${M_LEARNER[$i]}" = false ] || continue
    if ep_status "${M_CLIENT[$i]}" && [ "$S_IS_LEADER" = true ]; then
      printf '%s' "$i"
      return 0
    fi
  done
  printf '%s' -1
}

# --- the local member ---------------------------------------------------------
require_identity() {
  [ -n "$NAME" ] || die "$EX_USAGE" "KUBE_HA_ETCD_NAME is not set (this member's name)"
  [[ $NAME =~ ^[a-zA-Z0-9][a-zA-Z0-9._-]*$ ]] || die "$EX_USAGE" "KUBE_HA_ETCD_NAME '$NAME' is not a valid member name"
  [[ $PEER_URL =~ ^https://[^,\ ]+$ ]] || die "$EX_USAGE" "KUBE_HA_ETCD_PEER_URL must be https://ADDRESS:PORT, got '$PEER_URL'"
  [[ $CLIENT_URL =~ ^https://[^,\ ]+$ ]] || die "$EX_USAGE" "KUBE_HA_ETCD_CLIENT_URL must be https://ADDRESS:PORT, got '$CLIENT_URL'"
}
has_local_data() { [ -d "$DATA_DIR/member" ]; }

# Write member.yaml (the rendered config plus this member's initial cluster) and run the start hook.
start_member() {
  [ -r "$CONFIG_FILE" ] || die "$EX_FAILED" "missing $CONFIG_FILE (rendered by kube-ha): re-run the boot script, or 'kube-ha render'"
  mkdir -p "$(dirname "$DATA_DIR")"
  if [ ! -r "$INITIAL_FILE" ]; then
    # A member with data ignores these; they only keep the config complete.
    write_initial existing "$NAME=$PEER_URL"
  fi
  cat "$CONFIG_FILE" "$INITIAL_FILE" >"$MEMBER_CONFIG.tmp"
  mv -f "$MEMBER_CONFIG.tmp" "$MEMBER_CONFIG"
  log "starting etcd member $NAME"
  local rc=0
  KUBE_HA_ETCD_MEMBER_CONFIG=$MEMBER_CONFIG KUBE_HA_ETCD_NAME=$NAME bash -c "$START_CMD" || rc=$?
  [ "$rc" -eq 0 ] || die "$EX_FAILED" "the start command failed with exit code $rc: $START_CMD"
}
write_initial() { # write_initial STATE INITIAL_CLUSTER
  [[ $2 =~ ^[A-Za-z0-9._=:/,-]+$ ]] || die "$EX_FAILED" "refusing odd characters in initial cluster '$2'"
  mkdir -p "$CONFIG_DIR"
  printf "initial-cluster: '%s'\ninitial-cluster-state: '%s'\n" "$2" "$1" >"$INITIAL_FILE.tmp"
  mv -f "$INITIAL_FILE.tmp" "$INITIAL_FILE"
}
start_fresh() { # start_fresh STATE INITIAL_CLUSTER: first start of this member
  case ",$2," in *",$NAME=$PEER_URL,"*) ;; *) die "$EX_USAGE" "the initial cluster '$2' does not list $NAME=$PEER_URL" ;; esac
  write_initial "$1" "$2"
  start_member
}
ensure_running() {
  if ep_status "$CLIENT_URL"; then return 0; fi
  start_member
}
wait_until() { # wait_until DESCRIPTION COMMAND...: poll until COMMAND succeeds or the deadline passes
  local what=$1
  shift
  reset_backoff
  until "$@"; do retry_or_die "$EX_UNAVAILABLE" "waiting for $what"; done
}
move_data_aside() {
  local aside
  aside="$DATA_DIR.removed-$(date -u +%Y%m%dT%H%M%SZ)"
  log "$NAME is not a member of the cluster but $DATA_DIR holds data from an earlier membership: moving it to $aside"
  mv "$DATA_DIR" "$aside"
}

# --- bootstrap ----------------------------------------------------------------
cmd_bootstrap() {
  require_identity
  if has_local_data; then
    log "$DATA_DIR already holds a member: starting it (nothing to bootstrap)"
    ensure_running
    wait_until "$NAME to become healthy" is_healthy "$CLIENT_URL"
    log "member $NAME is running"
    return 0
  fi
  if [ -n "$ENDPOINTS" ] && load_members skip-self; then
    die "$EX_REFUSED" "a cluster already answers at $LIST_EP (${#M_ID[@]} members): run '$PROG join' to add $NAME to it"
  fi
  local initial=${KUBE_HA_ETCD_INITIAL_CLUSTER:-$NAME=$PEER_URL}
  log "founding a new cluster: $initial"
  start_fresh new "$initial"
  wait_until "the new cluster to elect a leader and $NAME to be healthy" is_healthy "$CLIENT_URL"
  log "member $NAME is running; the cluster is founded"
}

# --- join ---------------------------------------------------------------------
SELF=-1
SELF_CONFLICT=""
find_self() {
  local i
  SELF=-1 SELF_CONFLICT=""
  for i in "${!M_ID[@]}"; do
    if [ "${M_PEER[$i]}" = "$PEER_URL" ]; then
      if [ -n "${M_NAME[$i]}" ] && [ "${M_NAME[$i]}" != "$NAME" ]; then
        SELF_CONFLICT="peer URL $PEER_URL belongs to member ${M_NAME[$i]}: remove it first ('$PROG remove ${M_NAME[$i]}' on a healthy member)"
        return 0
      fi
      SELF=$i
      return 0
    fi
    if [ "${M_NAME[$i]}" = "$NAME" ]; then
      SELF_CONFLICT="a member named $NAME exists with peer URL ${M_PEER[$i]}, not $PEER_URL: remove it first ('$PROG remove $NAME' on a healthy member)"
      return 0
    fi
  done
}
initial_cluster_from_members() {
  local i out=""
  for i in "${!M_ID[@]}"; do
    if [ "$i" = "$SELF" ]; then out=${out:+$out,}$NAME=$PEER_URL
    elif [ -n "${M_NAME[$i]}" ]; then out=${out:+$out,}${M_NAME[$i]}=${M_PEER[$i]}
    fi
  done
  printf '%s' "$out"
}
# Why a learner may not be added now (empty when it may).
preflight_problem() {
  local i alarms voters
  for i in "${!M_ID[@]}"; do
    [ "$i" = "$SELF" ] && continue
    if [ "${M_LEARNER[$i]}" = true ]; then
      printf 'learner %s is pending (another join in progress, or a crashed one: re-run join there, or remove it)' "$(label "$i")"
      return 0
    fi
    if [ -z "${M_CLIENT[$i]}" ]; then
      printf 'voting member %s was added but never started: start it or remove it' "$(label "$i")"
      return 0
    fi
    if ! is_healthy "${M_CLIENT[$i]}"; then
      printf 'voting member %s (%s) is unhealthy: %s; repair it, or remove it from a healthy member' "$(label "$i")" "${M_CLIENT[$i]}" "$(ctl_error)"
      return 0
    fi
  done
  voters=$(voter_endpoints "$SELF")
  if ! alarms=$(ctl "$voters" alarm list); then
    printf 'cannot list alarms: %s' "$(ctl_error)"
    return 0
  fi
  if [ -n "$alarms" ]; then
    printf 'the cluster has alarms (%s): fix the cause, then etcdctl alarm disarm' "$(printf '%s' "$alarms" | tr '\n' ' ')"
  fi
  return 0
}
ADD_INITIAL=""
# Add this member as a learner. 0 added; 1 retry; 2 already present (re-read the list).
add_learner() {
  local out
  if out=$(ctl "$(voter_endpoints)" member add "$NAME" --learner --peer-urls="$PEER_URL"); then
    ADD_INITIAL=$(printf '%s\n' "$out" | sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p')
    [ -n "$ADD_INITIAL" ] || die "$EX_FAILED" "member add succeeded but printed no ETCD_INITIAL_CLUSTER; re-run join to finish"
    log "added $NAME as a learner"
    return 0
  fi
  if ctl_error_has 'already exist'; then return 2; fi
  return 1
}
promote_self() {
  local id=${M_ID[$SELF]} progress
  wait_until "learner $NAME to answer at $CLIENT_URL (if it never does, read its log: journalctl -u kube-ha-etcd)" ep_status "$CLIENT_URL"
  reset_backoff
  while :; do
    if ctl "$(voter_endpoints "$SELF")" member promote "$id" >/dev/null; then
      log "promoted $NAME to a voting member"
      break
    fi
    if ctl_error_has 'in sync with leader'; then
      progress="caught up to an unknown index"
      if ep_status "$CLIENT_URL"; then progress="applied index $S_APPLIED"; fi
      retry_or_die "$EX_UNAVAILABLE" "learner $NAME is still catching up ($progress)"
    elif ctl_error_has 'can only promote a learner member'; then
      log "$NAME is already a voting member"
      break
    else
      retry_or_die "$EX_UNAVAILABLE" "member promote $NAME failed: $(ctl_error)"
    fi
  done
  wait_until "$NAME to become healthy" is_healthy "$CLIENT_URL"
  log "member $NAME has joined as a voter"
}
cmd_join() {
  require_identity
  local problem rc
  while :; do
    if ! load_members last-self; then
      if has_local_data; then
        log "no member answers at '${ENDPOINTS}'; $DATA_DIR holds a member: starting it"
        ensure_running
        wait_until "$NAME to become healthy" is_healthy "$CLIENT_URL"
        return 0
      fi
      [ -n "$ENDPOINTS" ] || die "$EX_USAGE" "ETCD_ENDPOINTS is empty: join needs the client URL of at least one member (or run bootstrap for a new cluster)"
      retry_or_die "$EX_UNAVAILABLE" "no etcd member answers at $ENDPOINTS ($(ctl_error))"
      continue
    fi
    find_self
    [ -z "$SELF_CONFLICT" ] || die "$EX_REFUSED" "$SELF_CONFLICT"
    if [ "$SELF" -ge 0 ] && [ "${M_LEARNER[$SELF]}" = false ]; then
      if ! has_local_data; then
        die "$EX_REFUSED" "$NAME is a voting member but $DATA_DIR is empty (a replaced disk?): run '$PROG remove $NAME' on a healthy member, then join again"
      fi
      ensure_running
      wait_until "$NAME to become healthy" is_healthy "$CLIENT_URL"
      log "$NAME is already a voting member; nothing to do"
      return 0
    fi
    if [ "$SELF" -ge 0 ]; then
      log "$NAME is already a learner (an earlier join stopped part-way): finishing it"
      if has_local_data; then ensure_running; else start_fresh existing "$(initial_cluster_from_members)"; fi
      promote_self
      return 0
    fi
    if has_local_data; then move_data_aside; fi
    problem=$(preflight_problem)
    if [ -n "$problem" ]; then
      retry_or_die "$EX_UNAVAILABLE" "not joining yet: $problem"
      continue
    fi
    rc=0
    add_learner || rc=$?
    case $rc in
      0)
        load_members last-self || die "$EX_UNAVAILABLE" "the cluster stopped answering after member add; re-run join to finish"
        find_self
        [ "$SELF" -ge 0 ] || die "$EX_FAILED" "member add succeeded but $NAME is not in the member list; re-run join"
        start_fresh existing "$ADD_INITIAL"
        promote_self
        return 0
        ;;
      2) log "a member with peer URL $PEER_URL appeared meanwhile: re-reading the member list" ;;
      *) retry_or_die "$EX_UNAVAILABLE" "member add --learner $NAME was refused: $(ctl_error)" ;;
    esac
  done
}

# --- remove -------------------------------------------------------------------
# etcd's own quorum refusals of a reconfiguration (strict-reconfig-check, etcd 3.4 and 3.5).
QUORUM_REFUSALS='not enough started members|unhealthy cluster'
T=-1
# find_target: T = the member to remove (-1: none): by name, else by peer URL (a member without a
# name, or any with none asked). NAME not found while unnamed members exist (a crashed join's) is
# refused: one of them may be NAME's.
find_target() {
  local i unnamed=""
  T=-1
  for i in "${!M_ID[@]}"; do
    if [ -n "$TARGET" ] && [ "${M_NAME[$i]}" = "$TARGET" ]; then T=$i; return 0; fi
  done
  for i in "${!M_ID[@]}"; do
    if [ -n "$TARGET" ] && [ -n "${M_NAME[$i]}" ]; then continue; fi
    if [ "${M_PEER[$i]}" = "$TARGET_PEER_URL" ]; then T=$i; return 0; fi
    unnamed+=" ${M_PEER[$i]}"
  done
  if [ -n "$unnamed" ] && [ -z "$TARGET_PEER_URL" ]; then
    die "$EX_REFUSED" "$TARGET not found, but unstarted members have no name yet:$unnamed; if one is $TARGET's, add --peer-url URL"
  fi
}
# check_removal T: dies unless removing member T keeps quorum; moves leadership away from T.
check_removal() {
  local t=$1 i voters=0 healthy_others=0 target_healthy=false new_size need leader to=-1 healthy_all
  if [ "${M_LEARNER[$t]}" = true ]; then
    log "removing learner $(label "$t") (learners do not count towards quorum)"
    return 0
  fi
  for i in "${!M_ID[@]}"; do
    [ "${M_LEARNER[$i]}" = false ] || continue
    voters=$((voters + 1))
    if is_healthy "${M_CLIENT[$i]}"; then
      if [ "$i" = "$t" ]; then target_healthy=true; else healthy_others=$((healthy_others + 1)); fi
    fi
  done
  new_size=$((voters - 1))
  [ "$new_size" -ge 1 ] || die "$EX_REFUSED" "$(label "$t") is the last voting member: removing it would destroy the cluster"
  healthy_all=$healthy_others
  [ "$target_healthy" = false ] || healthy_all=$((healthy_all + 1))
  if [ "$healthy_all" -lt $((voters / 2 + 1)) ]; then
    die "$EX_UNAVAILABLE" "only $healthy_all of $voters voting members are healthy, below quorum $((voters / 2 + 1)): the cluster cannot change membership; bring members back first"
  fi
  need=$((new_size / 2 + 1))
  if [ "$healthy_others" -lt "$need" ]; then
    die "$EX_REFUSED" "removing $(label "$t") would leave $healthy_others healthy of $new_size voting members, below quorum $need: repair or replace the unhealthy members first (see '$PROG status')"
  fi
  log "removing voting member $(label "$t"): $healthy_others healthy voters remain of $new_size (quorum $need)"
  [ "$target_healthy" = true ] || return 0
  leader=$(leader_index)
  [ "$leader" = "$t" ] || return 0
  for i in "${!M_ID[@]}"; do
    if [ "$i" != "$t" ] && [ "${M_LEARNER[$i]}" = false ] && is_healthy "${M_CLIENT[$i]}"; then to=$i; break; fi
  done
  [ "$to" -ge 0 ] || die "$EX_UNAVAILABLE" "no healthy voter to move leadership to"
  log "$(label "$t") leads: moving leadership to $(label "$to")"
  reset_backoff
  until ctl "${M_CLIENT[$t]}" move-leader "${M_ID[$to]}" >/dev/null; do
    retry_or_die "$EX_UNAVAILABLE" "move-leader to $(label "$to") failed: $(ctl_error)"
  done
}
cmd_remove() {
  local id others refusals=0
  reset_backoff
  while :; do
    load_members first-self || die "$EX_UNAVAILABLE" "no etcd member answers (tried ${CLIENT_URL:-} ${ENDPOINTS}): run remove on a surviving member, or pass --endpoints"
    find_target
    if [ "$T" -lt 0 ]; then
      log "member ${TARGET:-$TARGET_PEER_URL} is not in the cluster (already removed): nothing to do"
      return 0
    fi
    id=${M_ID[$T]}
    check_removal "$T"
    others=$(voter_endpoints "$T")
    [ -n "$others" ] || others=$LIST_EP
    if ctl "$others" member remove "$id" >/dev/null || ctl_error_has 'member not found'; then
      log "removed member $(label "$T") ($id)"
      return 0
    fi
    if grep -Eqi -- "$QUORUM_REFUSALS" "$ERRFILE"; then
      # Another removal (or a failure) since the check above: check again with a fresh view,
      # which refuses on its own if quorum is now at stake. etcd's word stands after 4 refusals
      # (with backoff, past etcd's 5 s peer-activity window: a member just restarted is not dead).
      refusals=$((refusals + 1))
      [ "$refusals" -lt 4 ] || die "$EX_REFUSED" "etcd refused to remove $(label "$T"): $(ctl_error)"
      retry_or_die "$EX_REFUSED" "etcd refused to remove $(label "$T") ($(ctl_error)): checking quorum again"
      continue
    fi
    retry_or_die "$EX_UNAVAILABLE" "member remove $(label "$T") failed: $(ctl_error)"
  done
}

# --- status -------------------------------------------------------------------
cmd_status() {
  local i role healthy leader db index voters=0 healthy_voters=0 unhealthy=0 fmt blocked=0
  load_members first-self || die "$EX_UNAVAILABLE" "no etcd member answers (tried ${CLIENT_URL:-} ${ENDPOINTS}): is etcd running? (systemctl status kube-ha-etcd)"
  fmt='%-20s %-8s %-8s %-7s %-10s %-11s %s\n'
  # shellcheck disable=SC2059
  printf "$fmt" MEMBER ROLE HEALTHY LEADER "DB SIZE" "RAFT INDEX" "CLIENT URL"
  for i in "${!M_ID[@]}"; do
    role=voter
    [ "${M_LEARNER[$i]}" = false ] || role=learner
    healthy=no leader=- db=- index=-
    if ep_status "${M_CLIENT[$i]}"; then
      db=$(human_bytes "$S_DB") index=$S_INDEX
      [ "$S_IS_LEADER" != true ] || leader=yes
      if [ "$role" = learner ] || is_healthy "${M_CLIENT[$i]}"; then healthy=yes; fi
    fi
    if [ "$role" = voter ]; then
      voters=$((voters + 1))
      [ "$healthy" = no ] || healthy_voters=$((healthy_voters + 1))
    fi
    [ "$healthy" = yes ] || unhealthy=$((unhealthy + 1))
    # shellcheck disable=SC2059
    printf "$fmt" "$(label "$i")" "$role" "$healthy" "$leader" "$db" "$index" "${M_CLIENT[$i]:--}"
  done
  printf '%s voting members, %s healthy; quorum %s; tolerates %s more failure(s)\n' \
    "$voters" "$healthy_voters" $((voters / 2 + 1)) $((healthy_voters - voters / 2 - 1 < 0 ? 0 : healthy_voters - voters / 2 - 1))
  # What join's preflight waits for: a learner, or a member added and never started (no name).
  for i in "${!M_ID[@]}"; do
    if [ "${M_LEARNER[$i]}" = true ] || [ -z "${M_CLIENT[$i]}" ]; then
      blocked=$((blocked + 1))
      printf 'JOINS BLOCKED by %s: re-run join there, or remove --peer-url %s\n' "$(label "$i")" "${M_PEER[$i]}"
    fi
  done
  [ $((unhealthy + blocked)) -eq 0 ] || exit "$EX_UNAVAILABLE"
}

case $COMMAND in
  bootstrap) cmd_bootstrap ;;
  join) cmd_join ;;
  remove) cmd_remove ;;
  status) cmd_status ;;
esac
exit "$EX_OK"
