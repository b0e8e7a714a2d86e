# One image for the write and the read service; the command picks which one runs:
#   node dist/services/write/src/main.js   (ROCK_MODE=write)
#   node dist/services/read/src/main.js    (ROCK_MODE=read)
# Build context: the staged directory scripts/build-images.sh prepares (compiled dist/ of services
# and libs, production node_modules, package.json, tini-static). The base is a build ARG: any image
# with Node 20 at /usr/local/bin/node or /usr/bin/node and glibc, e.g. node:20-bookworm-slim, or
# rock/node-base:20 which scripts/build-images.sh assembles from this machine's node when no
# registry is reachable.
#   docker build -f docker/service.Dockerfile --build-arg BASE_IMAGE=node:20-bookworm-slim -t rock/service:latest <context>
ARG BASE_IMAGE=node:20-bookworm-slim

# Stage 1: assemble /app and prove every production module the services require loads on this
# base before anything is shipped. (node-pty is rocklet's, not the services': build-images.sh leaves
# it out. @kubernetes/client-node is ESM-only: it loads through require(esm), Node >= 20.19.)
FROM ${BASE_IMAGE} AS assemble
WORKDIR /app
COPY package.json ./
COPY node_modules ./node_modules
COPY dist ./dist
RUN ["node", "-e", "for (const m of ['bullmq', 'ioredis', 'dockerode', 'fastify', '@nestjs/core', '@nestjs/platform-fastify', 'prom-client', 'pino', 'undici', 'zod', '@kubernetes/client-node']) require(m); for (const s of ['write', 'read']) require.resolve(`./dist/services/${s}/src/main.js`); console.log('service image: modules load')"]

# Stage 2: the runtime image: non-root, tini as PID 1 (signals forwarded, zombies reaped), no build inputs.
FROM ${BASE_IMAGE}
COPY tini-static /usr/local/bin/tini
COPY --from=assemble --chown=0:0 /app /app
WORKDIR /app
ENV NODE_ENV=production ROCK_HOST=0.0.0.0 ROCK_PORT=8080
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/tini", "--"]
CMD ["node", "dist/services/read/src/main.js"]
LABEL org.opencontainers.image.title="rock-service" org.opencontainers.image.description="ROCK write/read service"
