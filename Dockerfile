# netguard-watch: one image for every role (README "Container image").
#
#   podman build -t netguard-watch .                      # or: docker build / buildah bud
#   podman run -v netguard-data:/var/lib/netguard --network host netguard-watch            # all-in-one
#   podman run ... netguard-watch backend                 # backend alone
#   podman run ... netguard-watch apiserver               # API server alone (BACKEND_ENDPOINT)
#
# Base images are build arguments with real registry defaults; CI on a machine without a registry
# passes local stand-ins (scripts/image-standins.sh).
ARG BUN_IMAGE=docker.io/oven/bun:1.4.4
ARG RUNTIME_IMAGE=gcr.io/distroless/base-debian12:nonroot

# --- build: install the runtime dependencies and compile src/main.ts into one executable ----------
FROM ${BUN_IMAGE} AS build
WORKDIR /src
# Manifests first: the install layer is reused while only sources change.
COPY package.json bun.lock ./
# --production: the dev tools (bun, deno, buf, typescript: ~250 MB) are not needed to compile;
# --ignore-scripts: nothing the runtime needs comes from a lifecycle script.
RUN bun install --frozen-lockfile --production --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
# --compile bundles every import, including the generated code, yaml, the connect packages and the
# lazily imported bun:sqlite adapter (a literal dynamic import is bundled too).
# --compile-exec-argv: the header limit `bun run start` sets (README: api.max_url_bytes).
# No .env or bunfig.toml autoloading: the working directory is the data volume, not configuration.
RUN bun build --compile --minify \
      --compile-exec-argv=--max-http-header-size=1048576 \
      --no-compile-autoload-dotenv --no-compile-autoload-bunfig \
      src/main.ts --outfile /out/netguard \
 && /out/netguard --help \
 && mkdir -p /out/data

# --- runtime: distroless (glibc, CA certificates, no shell), non-root ------------------------------
FROM ${RUNTIME_IMAGE}
COPY --from=build /out/netguard /usr/local/bin/netguard
# The data directory belongs to the runtime user, so a fresh named volume (which copies the image's
# directory ownership) and an emptyDir with fsGroup 65532 are both writable.
COPY --from=build --chown=65532:65532 /out/data /var/lib/netguard
# Store, development CA/certificates/tokens/kubeconfig: all in the volume, so they outlive the container.
ENV NETGUARD_STORAGE=sqlite:/var/lib/netguard/netguard.db \
    NETGUARD_API_DEV_DIR=/var/lib/netguard \
    NETGUARD_BACKEND_ADDR=0.0.0.0:9090 \
    NETGUARD_API_ADDR=0.0.0.0:8080
WORKDIR /var/lib/netguard
VOLUME ["/var/lib/netguard"]
# 8080: Kubernetes API server (HTTPS; /healthz /livez /readyz); 9090: backend (Connect, gRPC, gRPC-Web; /healthz /readyz).
EXPOSE 8080 9090
USER 65532:65532
# The program ends on SIGTERM with exit 0 after closing watches and the store; as PID 1 it must and does
# install its own handler (the kernel drops unhandled signals to PID 1).
STOPSIGNAL SIGTERM
# No HEALTHCHECK: distroless has no shell or curl to run one; orchestrators probe /healthz and /readyz.
ENTRYPOINT ["/usr/local/bin/netguard"]
CMD ["all"]
