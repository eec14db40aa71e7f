#!/bin/sh
# Builds ../../static/plotly-perfeval.min.js: plotly.js core (scatter) + the trace types registered in
# entry.js, as an ES module. Flags follow plotly.js's own esbuild config (global=window, define.amd=false,
# es2016); the MapLibre CSS that plotly.js's registry imports for map traces is left out (no map traces).
# Run: cd frontend/plotly && npm ci && sh build.sh   (or: make plotly-bundle)
set -e
cd "$(dirname "$0")"
npx esbuild entry.mjs --bundle --minify --platform=browser --target=es2016 --format=esm \
  --legal-comments=external --define:global=window --define:define.amd=false --loader:.css=empty \
  --outfile=../../static/plotly-perfeval.min.js
cp node_modules/plotly.js/LICENSE ../../static/plotly-perfeval.LICENSE.txt  # plotly.js is MIT-licensed
