# Multi-stage build: compile TypeScript and prebuild the workflow bundle with every dependency, then ship
# only what runs (production dependencies, dist/) as a non-root user. One image, three commands:
#   node dist/main/api.js (default) · node dist/main/worker.js · node dist/main/migrate.js
# Node 24 LTS; .ci/run runs the test suite on exactly this release too (.ci/lts-node.sh reads the tag).
FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund
# The Temporal core bridge ships its native library for five platforms (~137 MB) and its Rust sources:
# only this image's platform is kept (the loader picks releases/<arch>-unknown-linux-gnu/index.node), and
# the build fails if that one is missing. docs/operations.md, "Image size", has the figures.
RUN bridge=node_modules/@temporalio/core-bridge \
    && keep="$(node -p "({ x64: 'x86_64', arm64: 'aarch64' })[process.arch]")-unknown-linux-gnu" \
    && find "$bridge/releases" -mindepth 1 -maxdepth 1 ! -name "$keep" -exec rm -rf {} + \
    && rm -rf "$bridge/sdk-core" "$bridge/src" "$bridge/Cargo.toml" "$bridge/Cargo.lock" "$bridge/bridge-macros" \
    && test -f "$bridge/releases/$keep/index.node"

FROM node:24.22.3-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
# Owned by root and read-only for the service user: the running process cannot alter its own code.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
# dist/ holds the compiled code, the migrations and dist/workflow-bundle.js: workers load that prebuilt
# bundle (WORKFLOW_BUNDLE_PATH) instead of running webpack at start-up, so every replica runs
# byte-identical workflow code.
COPY --from=build /app/dist ./dist
# The image's unprivileged `node` user (uid 1000).
USER node
EXPOSE 3000
CMD ["node", "dist/main/api.js"]
