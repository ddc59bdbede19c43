#!/usr/bin/env bash
# Rebuild the vendored ECharts from entry.js: the smallest bundle that draws the platform's charts.
#   tools/echarts/build.sh      (needs node and npm; installs echarts, esbuild and terser from the npm registry)
# esbuild bundles the ES modules (tree-shaken, development checks removed), terser minifies; the Apache license
# header is kept on top. Writes sciaid/static/vendor/echarts-$VERSION.simple.min.js (the path the templates load).
set -euo pipefail
VERSION=6.1.0
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/../../sciaid/static/vendor/echarts-$VERSION.simple.min.js"
BUILD="$(mktemp -d /tmp/echarts-build.XXXXXX)"
trap 'rm -rf "$BUILD"' EXIT
cp "$HERE/entry.js" "$BUILD/entry.mjs"
cd "$BUILD"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "echarts@$VERSION" esbuild@0.28 terser@5
npx esbuild entry.mjs --bundle --format=iife --target=es2017 --legal-comments=none \
    --define:process.env.NODE_ENV='"production"' --log-level=warning --outfile=bundle.js
{
    printf '/*! ECharts %s (https://echarts.apache.org), custom build from tools/echarts/entry.js:\n' "$VERSION"
    printf ' * bar and line charts, simple grid, canvas renderer. Copyright The Apache Software Foundation,\n'
    printf ' * Apache License 2.0 (ECHARTS-LICENSE beside this file); includes ZRender (BSD-3-Clause) and tslib (0BSD). */\n'
    npx terser bundle.js --compress passes=2 --mangle
    printf '\n'
} >"$OUT"
ls -l "$OUT"
