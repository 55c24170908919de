# taster: one Swift binary (Swift runtime linked in statically) on debian:bookworm-slim with the
# C libraries it links dynamically: libmongoc/libbson, libpq, libcurl and libyaml.
#
#   docker build -t REGISTRY/taster:0.1.0 --build-arg VERSION=0.1.0 --build-arg SOURCE_URL=https://... .
#
# The runtime stage copies the binary from the stage or image named by BINARY_FROM: the build stage
# below by default. `make image-check` passes an image that holds a binary built outside (same
# Dockerfile, built with podman from a debootstrapped base where no Docker engine or registry is
# available), and BASE_IMAGE names that local base.
ARG BASE_IMAGE=debian:bookworm-slim
ARG BINARY_FROM=build

FROM swift:6.3.1-bookworm AS build
# Versions are not pinned: bookworm's security updates replace them in the archive, so a pin would
# break the build within weeks. Pin the base images by digest for reproducible builds.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pkg-config libmongoc-dev libbson-dev libpq-dev libcurl4-openssl-dev libyaml-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.resolved (if present) pins the Swift packages; resolving first caches them in a layer.
COPY Package.* ./
RUN swift package resolve
COPY Sources ./Sources
# `install -s` strips the symbols: 91 MB -> 63 MB.
RUN swift build -c release --static-swift-stdlib \
 && install -D -s -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/taster" /usr/local/bin/taster

# checkov:skip=CKV_DOCKER_7: BINARY_FROM names the build stage above (or a local image in image-check), not a registry tag; both base images carry fixed tags
FROM ${BINARY_FROM} AS binary

FROM ${BASE_IMAGE}
# Only the runtime libraries the binary links (ldd), and CA certificates for HTTPS to S3 and the
# Kubernetes API. Unpinned for the reason given in the build stage.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libmongoc-1.0-0 libbson-1.0-0 libpq5 libcurl4 libyaml-0-2 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# After the packages, so that their layer is reused across versions. The repository URL and
# licence are stated by whoever publishes the image.
ARG VERSION=0.1.0
ARG SOURCE_URL=""
ARG LICENSES=NOASSERTION
LABEL org.opencontainers.image.title="taster" \
      org.opencontainers.image.description="Data-integrity checks as Argo CD PreSync/PostSync hooks" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="${LICENSES}"
COPY --from=binary /usr/local/bin/taster /usr/local/bin/taster
# Numeric, so Kubernetes can verify runAsNonRoot; the hooks run as the same user.
USER 65532:65532
# A hook Job runs to completion; its "health" is its exit code and Argo CD reads it.
# checkov:skip=CKV_DOCKER_2: a run-to-completion Job has no long-running service to health-check
ENTRYPOINT ["/usr/local/bin/taster"]
