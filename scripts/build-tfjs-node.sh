#!/usr/bin/env bash
# Offline native training backend: rebuilds @tensorflow/tfjs-node's addon (tfjs_binding.node) against a local
# TensorFlow 2.x C library, for labs where tfjs-node's install script cannot download libtensorflow.
#
#   scripts/build-tfjs-node.sh [--tf <tensorflow wheel .whl | libtensorflow .tar.gz>] [--package <tfjs-node .tgz>] [--out <dir>]
#
#   --tf       the TensorFlow C library to link against:
#                * a TensorFlow 2.x CPU wheel (tensorflow_cpu-2.*.whl / tensorflow-2.*.whl): its libtensorflow_cc.so.2
#                  exports the C and eager C APIs tfjs-node uses, libtensorflow_framework.so.2 and the C headers
#                  are taken from it;
#                * or a libtensorflow tarball (libtensorflow-cpu-linux-x86_64-2.*.tar.gz: include/ and lib/).
#              Default: $INAS_TF_LIB, else the newest tensorflow_cpu-2.*.whl in the local pip wheel store
#              (/opt/pypi/files or $PIP_FIND_LINKS).
#   --package  a tfjs-node npm tarball (default: `npm pack @tensorflow/tfjs-node@<the project's tfjs version>` from the
#              configured registry or npm cache).
#   --out      where to install (default: $INAS_NATIVE_DIR, else <repo>/.native). src/train loads
#              <out>/node_modules/@tensorflow/tfjs-node; `--backend auto` then picks the native backend.
#
# Needs: node (headers in /usr/include/node or $NODEDIR), npm (its bundled node-gyp), python3, make, g++, unzip or
# python3's zipfile. Nothing is downloaded except the tfjs-node package and its small JS dependencies (npm).
# Install scripts are never run (--ignore-scripts), so nothing tries to fetch libtensorflow.
# Check: `node scripts/check-tfjs-node.mjs` (run at the end) loads the addon, asserts tf.getBackend() === 'tensorflow'
# and compares a convolution gradient with the cpu backend.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
tf_src="${INAS_TF_LIB:-}"
pkg_tgz=""
out="${INAS_NATIVE_DIR:-$repo/.native}"

die() { echo "build-tfjs-node: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --tf) tf_src="${2:-}"; shift 2 ;;
    --package) pkg_tgz="${2:-}"; shift 2 ;;
    --out) out="${2:-}"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (expected --tf, --package, --out; see --help)" ;;
  esac
done

if [ -z "$tf_src" ]; then
  for store in ${PIP_FIND_LINKS:-} /opt/pypi/files; do
    [ -d "$store" ] || continue
    cand="$(ls -1 "$store"/tensorflow_cpu-2.*-manylinux*x86_64.whl "$store"/tensorflow-2.*-manylinux*x86_64.whl 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$cand" ]; then tf_src="$cand"; break; fi
  done
fi
[ -n "$tf_src" ] || die "no TensorFlow C library given and none found in the pip wheel store: pass --tf <wheel or libtensorflow tarball>"
[ -f "$tf_src" ] || die "--tf: file not found: $tf_src"

nodedir="${NODEDIR:-/usr}"
[ -f "$nodedir/include/node/node_api.h" ] || die "node headers not found in $nodedir/include/node (set NODEDIR)"
gyp="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp="/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || die "node-gyp not found (it ships with npm)"
for tool in python3 make g++; do command -v "$tool" >/dev/null || die "$tool is required"; done

tfjs_version="$(node -p "require('$repo/node_modules/@tensorflow/tfjs/package.json').version")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "build-tfjs-node: tfjs $tfjs_version, TensorFlow C library from $tf_src"
if [ -z "$pkg_tgz" ]; then
  (cd "$work" && npm pack --silent "@tensorflow/tfjs-node@$tfjs_version" >/dev/null) || die "npm pack @tensorflow/tfjs-node@$tfjs_version failed (pass --package <tgz>)"
  pkg_tgz="$(ls "$work"/tensorflow-tfjs-node-*.tgz)"
fi
[ -f "$pkg_tgz" ] || die "--package: file not found: $pkg_tgz"

stage="$work/stage"
pkg="$stage/node_modules/@tensorflow/tfjs-node"
mkdir -p "$pkg"
tar -xzf "$pkg_tgz" -C "$pkg" --strip-components=1

# The TensorFlow C library: headers to deps/include, shared libraries to deps/lib (the addon's rpath).
mkdir -p "$pkg/deps/include" "$pkg/deps/lib"
case "$tf_src" in
  *.whl)
    python3 - "$tf_src" "$work/tf" <<'PY'
import sys, zipfile
whl, dest = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(whl)
want = [n for n in z.namelist() if n in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2')
        or n.startswith('tensorflow/include/tensorflow/c/') or n.startswith('tensorflow/include/tensorflow/core/platform/')
        or n.startswith('tensorflow/include/xla/tsl/c/') or n.startswith('tensorflow/include/tsl/platform/')]
if 'tensorflow/libtensorflow_cc.so.2' not in want:
    sys.exit(f'{whl}: no tensorflow/libtensorflow_cc.so.2 inside (is it a TensorFlow 2.x CPU wheel?)')
z.extractall(dest, want)
PY
    cp -a "$work/tf/tensorflow/include/." "$pkg/deps/include/"
    cp "$work/tf/tensorflow/libtensorflow_cc.so.2" "$work/tf/tensorflow/libtensorflow_framework.so.2" "$pkg/deps/lib/"
    ln -sf libtensorflow_cc.so.2 "$pkg/deps/lib/libtensorflow.so"
    ln -sf libtensorflow_framework.so.2 "$pkg/deps/lib/libtensorflow_framework.so"
    ;;
  *.tar.gz|*.tgz)
    tar -xzf "$tf_src" -C "$pkg/deps"
    [ -f "$pkg/deps/include/tensorflow/c/c_api.h" ] || die "$tf_src: no include/tensorflow/c/c_api.h inside (is it a libtensorflow tarball?)"
    ;;
  *) die "--tf: expected a .whl or a .tar.gz, got $tf_src" ;;
esac
[ -f "$pkg/deps/include/tensorflow/c/eager/c_api.h" ] || die "the TensorFlow C library has no tensorflow/c/eager/c_api.h"

# JS dependencies of tfjs-node (no install scripts); tfjs itself must be the project's own copy (one engine).
(cd "$pkg" && npm install --silent --ignore-scripts --omit=dev --no-package-lock --no-save --no-audit --no-fund >/dev/null) \
  || die "npm install of tfjs-node's dependencies failed"
rm -rf "$pkg/node_modules/@tensorflow"
mkdir -p "$pkg/node_modules/@tensorflow"
for dep in tfjs tfjs-core; do ln -s "$repo/node_modules/@tensorflow/$dep" "$pkg/node_modules/@tensorflow/$dep"; done

# Where tfjs-node looks for the addon (node-pre-gyp's layout: lib/napi-v<N>/tfjs_binding.node).
target="$(cd "$pkg" && node -p "require('@mapbox/node-pre-gyp').find(require('path').resolve('package.json'))")"
napi="$(basename "$(dirname "$target")" | sed 's/^napi-v//')"
echo "build-tfjs-node: compiling the addon (node-gyp, nodedir $nodedir, N-API $napi)"
(cd "$pkg" && node "$gyp" rebuild --nodedir="$nodedir" -j 2 --module_name=tfjs_binding \
   --module_path="$(dirname "$target")" --napi_build_version="$napi" >"$work/gyp.log" 2>&1) \
  || { tail -n 40 "$work/gyp.log" >&2; die "node-gyp build failed"; }
[ -f "$target" ] || cp "$pkg/build/Release/tfjs_binding.node" "$target"
rm -rf "$pkg/build"

# Install atomically: replace <out>/node_modules/@tensorflow/tfjs-node only once everything above worked.
mkdir -p "$out/node_modules/@tensorflow"
final="$out/node_modules/@tensorflow/tfjs-node"
rm -rf "$final.old"
[ -e "$final" ] && mv "$final" "$final.old"
mv "$pkg" "$final"
rm -rf "$final.old"

INAS_NATIVE_DIR="$out" node "$repo/scripts/check-tfjs-node.mjs"
echo "build-tfjs-node: installed $final"
