#!/usr/bin/env bash
# The deploy check of `make test` (scripts/test.sh, unit phase):
#  1. each overlay of deploy/k8s built with kustomize (kubectl's own);
#  2. the output validated against the Kubernetes JSON schemas
#     (kubernetes-validate, strict: unknown fields fail) of the oldest
#     Kubernetes we support; ServiceMonitor and PrometheusRule are custom
#     resources without a schema there: it only warns about them, and
#     k8s_check.py checks their shape and the metrics their rules name;
#  3. k8s_check.py: restricted security, resources, probes, pinned image,
#     per-release Job, Secrets, grace periods, production's PDBs;
#  4. the Grafana dashboard (dashboard_check.py) and publiccode.yml
#     (publiccode_check.py).
# Tools: .local/deploy-venv (scripts/setup.sh). Exit 1 on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV="$ROOT/.local/deploy-venv/bin"
K8S_VERSIONS="1.30.0 1.37.0"   # the oldest Kubernetes the manifests are for, the newest known
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
rc=0

[ -x "$VENV/kubectl" ] || { echo "k8s_validate: run scripts/setup.sh first (no .local/deploy-venv)"; exit 1; }

# The metric names the services export today, from their sources.
grep -rhoE '"bnd_[a-z0-9_]+' "$ROOT/services" "$ROOT/common" | tr -d '"' | sort -u >"$OUT/metrics.txt"

for overlay in small production; do
	built="$OUT/$overlay.yaml"
	echo "k8s_validate: $overlay"
	if ! "$VENV/kubectl" kustomize "$ROOT/deploy/k8s/overlays/$overlay" >"$built"; then
		echo "k8s_validate: kustomize build of $overlay failed"; rc=1; continue
	fi
	# exit status and output both: any line but the two expected warnings fails
	for v in $K8S_VERSIONS; do
		"$VENV/kubernetes-validate" --strict --quiet -k "$v" "$built" >"$OUT/v.txt" 2>&1 || rc=1
		if grep -v "Couldn't find schema for kind \(ServiceMonitor\|PrometheusRule\)" "$OUT/v.txt"; then
			echo "k8s_validate: $overlay does not match the schemas of Kubernetes $v"; rc=1
		fi
	done
	"$VENV/python" "$ROOT/tests/deploy/k8s_check.py" "$overlay" "$built" \
		--metrics "$OUT/metrics.txt" --runbook "$ROOT/docs/operations.md" || rc=1
done
"$VENV/python" "$ROOT/tests/deploy/dashboard_check.py" "$ROOT/deploy/grafana/banditore.json" \
	--metrics "$OUT/metrics.txt" || rc=1
"$VENV/python" "$ROOT/tests/deploy/publiccode_check.py" "$ROOT/publiccode.yml" || rc=1
[ "$rc" -eq 0 ] && echo "k8s_validate: all good"
exit "$rc"
