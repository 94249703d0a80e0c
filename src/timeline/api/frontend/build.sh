#!/usr/bin/env bash
# Install the front-end packages from npm (exactly as package-lock.json pins them) and copy
# the files the pages use:
#   cytoscape.min.js            -> src/timeline/api/static/vendor/   (served by the explorer)
#   @knight-lab/timelinejs dist -> tests/browser/vendor/timelinejs/  (browser tests only)
#   axe-core                    -> tests/browser/vendor/axe-core/     (browser tests only)
# Run from anywhere: `src/timeline/api/frontend/build.sh` (make assets).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
static_vendor="$root/src/timeline/api/static/vendor"
test_vendor="$root/tests/browser/vendor"

cd "$here"
npm ci --no-audit --no-fund --loglevel=error

rm -rf "$static_vendor" "$test_vendor"
mkdir -p "$static_vendor" "$test_vendor"

cp node_modules/cytoscape/dist/cytoscape.min.js "$static_vendor/"
cp node_modules/cytoscape/LICENSE "$static_vendor/cytoscape.LICENSE"

# GraphiQL at /graphql, served from here rather than a CDN.
graphiql="$static_vendor/graphiql"
mkdir -p "$graphiql"
cp node_modules/react/umd/react.production.min.js node_modules/react-dom/umd/react-dom.production.min.js \
   node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css "$graphiql/"
cp node_modules/@graphiql/plugin-explorer/dist/index.umd.js "$graphiql/plugin-explorer.umd.js"
cp node_modules/@graphiql/plugin-explorer/dist/style.css "$graphiql/plugin-explorer.css"
for package in react react-dom graphiql; do
  cp "node_modules/$package/LICENSE" "$graphiql/$package.LICENSE" 2>/dev/null || true
done

# axe-core, for the accessibility checks of the browser tests (tests/browser/test_axe.py).
mkdir -p "$test_vendor/axe-core"
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$test_vendor/axe-core/"

cp -R node_modules/@knight-lab/timelinejs/dist "$test_vendor/timelinejs"
cp node_modules/@knight-lab/timelinejs/LICENSE "$test_vendor/timelinejs/LICENSE" 2>/dev/null || true

echo "assets: graphiql $(node -p "require('./node_modules/graphiql/package.json').version") -> ${graphiql#"$root"/}"
echo "assets: cytoscape $(node -p "require('./node_modules/cytoscape/package.json').version") -> ${static_vendor#"$root"/}"
echo "assets: axe-core $(node -p "require('./node_modules/axe-core/package.json').version") -> ${test_vendor#"$root"/}/axe-core"
echo "assets: timelinejs $(node -p "require('./node_modules/@knight-lab/timelinejs/package.json').version") -> ${test_vendor#"$root"/}/timelinejs"
