#!/usr/bin/env bash
# `make image-check`: proves the Dockerfile's runtime stage here, where there is no Docker engine
# and no container registry.
#
#   1. builds the release binary (what the Dockerfile's build stage runs);
#   2. makes a local debian:bookworm-slim equivalent with `debootstrap --variant=minbase` from this
#      machine's apt mirror, trimmed as the official slim image is, and `podman import`s it;
#   3. builds the runtime stage of the SAME Dockerfile with podman, BASE_IMAGE pointing at that
#      base and BINARY_FROM at a one-file image holding the binary from step 1;
#   4. runs the image as the hooks run it (read-only root, no capabilities, no new privileges, the
#      hooks' numeric user) against the local stack, and prints its size.
#
# Podman keeps its images under .image/ (ignored) with a project-local containers.conf and
# storage.conf, so nothing outside the work tree is configured. Where podman cannot run a
# container at all, the binary is run in the debootstrap root with chroot instead, and the output
# says so (IMAGE_CHECK_CHROOT=1 forces that path). Fails when the image adds more than
# IMAGE_BUDGET_MB (default 80) to its base.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
state=$repo/.image
budget_mb=${IMAGE_BUDGET_MB:-80}
base_image=localhost/taster-base:bookworm-slim
binary_image=localhost/taster-binary:check
image=localhost/taster:check
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# The user the hooks run as, read from the manifests so the two cannot differ.
hook_user() {
  local uid gid
  uid=$(awk '/runAsUser:/ {print $2; exit}' hooks/pre-taste.yaml)
  gid=$(awk '/runAsGroup:/ {print $2; exit}' hooks/pre-taste.yaml)
  [[ $uid =~ ^[0-9]+$ && $gid =~ ^[0-9]+$ ]] || { echo "image-check: no numeric runAsUser/runAsGroup in hooks/pre-taste.yaml" >&2; exit 1; }
  echo "$uid:$gid"
}

configure_podman() {
  mkdir -p "$state/storage" "$state/run"
  # runc: crun is known to fail in this kind of nested container. The ulimits: podman's defaults
  # (the host's hard limits) are above what this sandbox lets a process set.
  cat >"$state/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  cat >"$state/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$state/storage"
runroot = "$state/run"
EOF
  export CONTAINERS_CONF=$state/containers.conf CONTAINERS_STORAGE_CONF=$state/storage.conf
}

# The mirror debootstrap fetches from: the first Debian URI of this machine's apt sources.
debian_mirror() {
  local uri=""
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    uri=$(awk '$1 == "URIs:" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $uri && -f /etc/apt/sources.list ]]; then
    uri=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# debian:bookworm-slim is debootstrap minbase with documentation, man pages, locales and apt's
# caches removed, and dpkg told to leave them out of later installs too (debuerreotype's "slimify").
slim_root() {
  local root=$1
  rm -f "$root/etc/apt/sources.list"
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/debian.sources"
  else
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $(debian_mirror)
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  fi
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/{groff,info,linda,lintian,locale,man}/* "$root"/var/cache/apt/* \
    "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
}

# The debootstrapped root, made once and kept as .image/bookworm-slim.tar (`make image-clean`
# removes it).
tarball=$state/bookworm-slim.tar
make_base_tarball() {
  if [[ ! -s $tarball ]]; then
    local root=$state/rootfs
    rm -rf "$root"
    step "debootstrap --variant=minbase bookworm from $(debian_mirror)"
    debootstrap --variant=minbase bookworm "$root" "$(debian_mirror)" >"$state/debootstrap.log" 2>&1 \
      || { tail -20 "$state/debootstrap.log" >&2; exit 1; }
    slim_root "$root"
    tar --numeric-owner -C "$root" -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
    rm -rf "$root"
  fi
}

image_bytes() { podman image inspect --format '{{.Size}}' "$1"; }
megabytes() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1000000}'; }

# The staging scene `taster check` expects, as the demo sets it up: the pxbbq workloads in the
# emulator and the two collections in the database.
stage_scene() {
  .venv/bin/python - <<'PY'
import os
import pymongo
from kubeemu.control import Control
Control.from_env().seed_demo("pxbbq")
db = pymongo.MongoClient(os.environ["TESTENV_MONGO_ADMIN_URI"])["pxbbq"]
db.orders.insert_one({"status": "paid"})
db.registrations.insert_one({"email": "guest@example.com"})
PY
}

# `taster check` (connectivity and permissions) in the image or the chroot: must pass.
connectivity_check() {
  step "taster check against the local stack"
  stage_scene
  local status=0
  "$@" check || status=$?
  if [[ $status -ne 0 ]]; then
    echo "image-check: taster check exited $status" >&2
    exit 1
  fi
}

# Fallback where podman cannot run a container: the runtime stage's packages installed in the
# debootstrap root, and the binary run there with chroot as the hooks' user.
chroot_fallback() {
  local binary=$1 user=$2 root=$state/chroot
  local why="podman cannot run containers here"
  [[ ${IMAGE_CHECK_CHROOT:-} == 1 ]] && why="IMAGE_CHECK_CHROOT=1"
  step "FALLBACK ($why): the binary runs in the debootstrap root with chroot (no image is built)"
  rm -rf "$root" && mkdir -p "$root"
  make_base_tarball
  tar -C "$root" -xf "$tarball"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libmongoc-1.0-0 libbson-1.0-0 libpq5 libcurl4 libyaml-0-2 ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*'
  install -D -m 0755 "$binary" "$root/usr/local/bin/taster"
  scripts/with-stack.sh "$0" --run-chroot "$user"
  echo "image-check: FALLBACK (chroot): the Dockerfile was not built; its runtime packages and the binary were proved in a bookworm minbase root"
}

run_chroot() {
  local user=$1 root=$state/chroot
  mkdir -p "$root/etc/taster/checks"
  cp "$KUBECONFIG" "$root/etc/taster/kubeconfig"
  cp kustomize/overlays/pxbbq-stage/app/checks.yaml "$root/etc/taster/checks/checks.yaml"
  chown -R "$user" "$root/etc/taster"
  # As in a container: /proc (Swift reads the arguments from /proc/self/cmdline) and /dev.
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  # shellcheck disable=SC2064 # expanded now: $root is local
  trap "umount -R '$root/dev'; umount '$root/proc'" EXIT
  local run=(env -i PATH=/usr/bin:/bin MONGODB_URI="$MONGODB_URI" TASTER_DATABASE="$TASTER_DATABASE"
    AWS_ENDPOINT_URL="$AWS_ENDPOINT_URL" AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID"
    AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" AWS_REGION="$AWS_REGION" TASTER_BUCKET="$TASTER_BUCKET"
    TASTER_WORKLOADS="statefulset/mongo=1,deployment/pxbbq-web=1" TASTER_CHECKS=/etc/taster/checks/checks.yaml
    KUBECONFIG=/etc/taster/kubeconfig "$(command -v chroot)" --userspec="$user" "$root" /usr/local/bin/taster)
  step "taster --version (chroot, user $user)"
  "${run[@]}" --version
  step "taster check --show-settings against the local stack (chroot, user $user)"
  "${run[@]}" check --show-settings
  connectivity_check "${run[@]}"
}

# Runs in the local stack (scripts/with-stack.sh exports its addresses and credentials).
run_image() {
  local user=$1 version=$2 files=$state/check
  rm -rf "$files" && mkdir -p "$files"
  # The stack's kubeconfig and checks file, readable by the hooks' user only, mounted read-only
  # where the hooks mount theirs.
  cp "$KUBECONFIG" "$files/kubeconfig"
  cp kustomize/overlays/pxbbq-stage/app/checks.yaml "$files/checks.yaml"
  {
    echo "MONGODB_URI=$MONGODB_URI"
    echo "TASTER_DATABASE=$TASTER_DATABASE"
    echo "AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL"
    echo "AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID"
    echo "AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY"
    echo "AWS_REGION=$AWS_REGION"
    echo "TASTER_BUCKET=$TASTER_BUCKET"
    echo "TASTER_WORKLOADS=statefulset/mongo=1,deployment/pxbbq-web=1"
    echo "TASTER_CHECKS=/etc/taster/checks/checks.yaml"
    echo "KUBECONFIG=/etc/taster/kubeconfig"
  } >"$files/taster.env"
  chmod 0600 "$files"/*
  chown "$user" "$files/kubeconfig" "$files/checks.yaml"
  local run=(podman run --rm --pull=never --network host --read-only --cap-drop=ALL
    --security-opt no-new-privileges --user "$user" --env-file "$files/taster.env"
    -v "$files/kubeconfig:/etc/taster/kubeconfig:ro" -v "$files/checks.yaml:/etc/taster/checks/checks.yaml:ro"
    "$image")

  step "taster --version (read-only, no capabilities, user $user)"
  local reported
  reported=$("${run[@]}" --version)
  echo "$reported"
  [[ $reported == "$version" ]] || { echo "image-check: the image reports $reported, its label says $version" >&2; exit 1; }

  step "taster check --show-settings against the local stack"
  "${run[@]}" check --show-settings

  connectivity_check "${run[@]}"
}

main() {
  local started=$SECONDS user binary version
  user=$(hook_user)

  # podman with runc, debootstrap, uidmap (for rootless podman), binutils (strip).
  scripts/ensure-apt.sh podman runc debootstrap uidmap binutils

  step "release binary (swift build -c release --static-swift-stdlib)"
  swift build -c release --static-swift-stdlib
  binary=$(swift build -c release --static-swift-stdlib --show-bin-path)/taster
  version=$("$binary" --version)

  mkdir -p "$state"
  configure_podman
  # IMAGE_CHECK_CHROOT=1 forces the fallback (to test it where podman works).
  if [[ ${IMAGE_CHECK_CHROOT:-} == 1 ]] || ! podman info >/dev/null 2>&1; then
    chroot_fallback "$binary" "$user"
    echo "image-check: done in $((SECONDS - started))s (chroot fallback)"
    return
  fi

  if ! podman image exists "$base_image"; then
    make_base_tarball
    step "podman import $base_image"
    podman import --change 'CMD ["bash"]' "$tarball" "$base_image" >/dev/null
  fi
  if ! podman run --rm --pull=never --network host "$base_image" true 2>"$state/podman-run.err"; then
    cat "$state/podman-run.err" >&2
    chroot_fallback "$binary" "$user"
    echo "image-check: done in $((SECONDS - started))s (chroot fallback)"
    return
  fi

  step "one-file image with the binary (BINARY_FROM), stripped as the build stage strips it"
  rm -rf "$state/binary" && mkdir -p "$state/binary"
  strip -o "$state/binary/taster" "$binary"
  printf 'FROM scratch\nCOPY taster /usr/local/bin/taster\n' >"$state/binary/Containerfile"
  podman build --quiet --pull=never -t "$binary_image" "$state/binary" >/dev/null

  step "podman build of the Dockerfile's runtime stage"
  podman build --pull=never --network host --layers \
    --build-arg BASE_IMAGE="$base_image" --build-arg BINARY_FROM="$binary_image" \
    --build-arg VERSION="$version" -t "$image" -f Dockerfile .
  local label
  label=$(podman image inspect --format '{{index .Labels "org.opencontainers.image.version"}}' "$image")
  [[ $label == "$version" ]] || { echo "image-check: label version $label, binary $version" >&2; exit 1; }

  scripts/with-stack.sh "$0" --run-image "$user" "$version"

  step "size"
  local base_size image_size added
  base_size=$(image_bytes "$base_image")
  image_size=$(image_bytes "$image")
  added=$((image_size - base_size))
  echo "base  $base_image  $(megabytes "$base_size") MB"
  echo "image $image  $(megabytes "$image_size") MB"
  echo "added over the base: $(megabytes "$added") MB (budget ${budget_mb} MB); the binary alone: $(megabytes "$(stat -c %s "$state/binary/taster")") MB"
  echo "image-check: done in $((SECONDS - started))s"
  if ((added > budget_mb * 1000000)); then
    echo "image-check: OVER BUDGET: the image adds $(megabytes "$added") MB to its base, more than ${budget_mb} MB" >&2
    exit 1
  fi
}

if [[ ${1:-} == --run-image ]]; then
  configure_podman
  run_image "$2" "$3"
elif [[ ${1:-} == --run-chroot ]]; then
  run_chroot "$2"
else
  main
fi
