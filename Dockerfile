# One image for every OneCert service; the command picks the service (see docker-compose.yml).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY subgraphs/kit/package.json subgraphs/kit/
COPY subgraphs/population/package.json subgraphs/population/
COPY subgraphs/legal-entity/package.json subgraphs/legal-entity/
COPY subgraphs/property/package.json subgraphs/property/
COPY subgraphs/social-insurance/package.json subgraphs/social-insurance/
COPY gateway/package.json gateway/
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY subgraphs subgraphs
COPY gateway gateway
COPY schema schema
# The gateway's audit key, spool and archives (a volume in docker-compose.yml), writable by node.
RUN mkdir -p /var/lib/onecert/audit && chown node:node /var/lib/onecert/audit
USER node
ENTRYPOINT ["node", "gateway/bin/onecert.cjs"]
CMD ["start"]
