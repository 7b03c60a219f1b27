# Warden's image: built in one stage, run in another with production dependencies only, as a non-root user,
# on a read-only root filesystem (it writes nothing; mount an emptyDir at /tmp for Node's own scratch).
#   docker build -t warden .
#   docker run --read-only --tmpfs /tmp -p 3000:3000 -e APP_ID=… -e PRIVATE_KEY=… -e WEBHOOK_SECRET=… warden

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: nothing Warden depends on needs one (the tree-sitter grammar ships its wasm).
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY rules ./rules
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY app.yml ./app.yml
COPY templates ./templates
COPY bin ./bin
# The image's files belong to root and are only read; the process runs as `node` (uid 1000).
USER 1000:1000
EXPOSE 3000
# Probot's environment variables configure it: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, REDIS_URL, GHE_HOST, …
# The same command as `npm start` (a test checks): --optimize-for-size keeps a 3,000-file review under 300 MB.
CMD ["node", "--optimize-for-size", "dist/src/server.js"]
