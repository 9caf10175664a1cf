# One image for every OneCert service; the command picks the service (see docker-compose.yml).
# The build stage compiles every package to dist/ (npm ci runs `npm run build`); the image runs
# plain Node on that output, with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.build.json ./
COPY subgraphs subgraphs
COPY gateway gateway
COPY test/package.json test/
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
COPY schema schema
# The gateway's audit key, spool and archives (a volume in docker-compose.yml), writable by node.
RUN mkdir -p /var/lib/onecert/audit && chown node:node /var/lib/onecert/audit
USER node
ENTRYPOINT ["node", "--enable-source-maps", "gateway/cli/bin/onecert.cjs"]
CMD ["start"]
