#!/usr/bin/env bash
# make conformance: the official MCP conformance suite
# (@modelcontextprotocol/conformance, pinned in package-lock.json) against
#   - the server suite: fakes/mcpservers/everything over streamable HTTP
#     (every active scenario must pass), and
#   - the client scenarios initialize and tools_call: host/toolbox, through
#     the toolboxclient command.
# Node 22 comes from the npm package "node", installed with the suite into
# $BUILD (build/conformance), so the only network it needs is the npm
# registry, once. Logs go to $BUILD/logs; the summary to stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
BUILD=${BUILD:-build/conformance}
HERE=harness/conformance
# Bounds, in seconds, so a hung scenario cannot eat the CI budget.
INSTALL_TIMEOUT=${INSTALL_TIMEOUT:-600}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-300}
CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-60}

mkdir -p "$BUILD/bin" "$BUILD/logs"
BUILD=$(cd "$BUILD" && pwd)
LOGS=$BUILD/logs
NODE=$BUILD/node_modules/.bin/node
SUITE=$BUILD/node_modules/@modelcontextprotocol/conformance/dist/index.js

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# --- install: npm ci when the pinned lockfile changed since the last one ---
t=$(now)
if ! cmp -s "$HERE/package-lock.json" "$BUILD/package-lock.json" || [ ! -x "$NODE" ] || [ ! -f "$SUITE" ]; then
	command -v npm >/dev/null || { echo "conformance: npm is needed once, to install Node 22 and the suite" >&2; exit 2; }
	cp "$HERE/package.json" "$HERE/package-lock.json" "$BUILD/"
	echo "installing Node 22 and the conformance suite into $BUILD"
	if ! (cd "$BUILD" && timeout "$INSTALL_TIMEOUT" npm ci --no-audit --no-fund --loglevel=error) >"$LOGS/install.log" 2>&1; then
		cat "$LOGS/install.log" >&2
		rm -f "$BUILD/package-lock.json" # retry the install next time
		exit 2
	fi
fi
case "$("$NODE" --version 2>/dev/null)" in
v22.*) ;;
*)
	echo "conformance: $NODE is not Node 22 (were the install scripts of the \"node\" package blocked?)" >&2
	exit 2
	;;
esac
PATH=$(dirname "$NODE"):$PATH # the suite's own child processes, if any
echo "node $("$NODE" --version), suite $("$NODE" "$SUITE" --version) ($(since "$t"))"

# --- build ---
"$GO" build -o "$BUILD/bin/" ./fakes/cmd/everything ./host/cmd/toolboxclient

# --- server suite against the everything server ---
"$BUILD/bin/everything" -http 127.0.0.1:0 >"$LOGS/everything.url" 2>"$LOGS/everything.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	[ -s "$LOGS/everything.url" ] && break
	kill -0 "$server" 2>/dev/null || break
	sleep 0.1
done
url=$(head -n 1 "$LOGS/everything.url")
if [ -z "$url" ]; then
	echo "conformance: the everything server did not start:" >&2
	cat "$LOGS/everything.log" >&2
	exit 2
fi

failed=()
t=$(now)
status=0
(cd "$BUILD" && timeout "$SUITE_TIMEOUT" "$NODE" "$SUITE" server --url "$url") >"$LOGS/server.log" 2>&1 || status=$?
sed -n '/=== SUMMARY ===/,$p' "$LOGS/server.log"
if [ "$status" -ne 0 ]; then
	failed+=("server suite (exit $status, see $LOGS/server.log)")
fi
echo "server suite against everything: $([ "$status" -eq 0 ] && echo PASS || echo FAIL) ($(since "$t"))"

# --- client scenarios against host/toolbox ---
client() { # scenario, toolboxclient flags
	local scenario=$1 status=0 t
	shift
	t=$(now)
	(cd "$BUILD" && timeout "$CLIENT_TIMEOUT" "$NODE" "$SUITE" client \
		--command "$BUILD/bin/toolboxclient $*" --scenario "$scenario" --timeout 30000) \
		>"$LOGS/client-$scenario.log" 2>&1 || status=$?
	# The suite exits 0 when the client itself failed; its verdict line does not.
	if [ "$status" -ne 0 ] || ! grep -q 'OVERALL: PASSED' "$LOGS/client-$scenario.log"; then
		sed -n '/Test Results:/,$p' "$LOGS/client-$scenario.log"
		failed+=("client scenario $scenario (see $LOGS/client-$scenario.log)")
		echo "client scenario $scenario against toolboxclient: FAIL ($(since "$t"))"
		return
	fi
	echo "client scenario $scenario against toolboxclient: PASS ($(since "$t"))"
}
client initialize
# The suite splits --command on spaces and runs it through a shell.
client tools_call -call add_numbers -args "'{\"a\":5,\"b\":3}'"

if [ ${#failed[@]} -gt 0 ]; then
	printf 'conformance: FAILED: %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "conformance: all passed"
