# syntax=docker/dockerfile:1
# One image for every role of pont. Node 24 LTS, as in development and CI.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY mappings ./mappings
COPY profiles ./profiles
# `pont serve` on embedded PGlite keeps its store here (or set DATABASE_URL); listen with --host 0.0.0.0.
ENV PONT_DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 8080
USER node
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["--help"]
