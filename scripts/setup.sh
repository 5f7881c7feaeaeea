#!/bin/sh
# Installs pnpm (the version the lockfile was made with) and the workspace's dependencies.
# argon2 builds from source where its prebuilt binary cannot run; node-gyp then needs
# Node's headers, which sit under Node's own install prefix (offline-safe).
set -e
want=12.4.2
if [ "$(pnpm -v 2>/dev/null)" != "$want" ]; then
  npm i -g "pnpm@$want"
fi
prefix=$(dirname "$(dirname "$(node -p 'process.execPath')")")
if [ -z "$npm_config_nodedir" ] && [ -f "$prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$prefix"
fi
pnpm install --frozen-lockfile
