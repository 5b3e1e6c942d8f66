#!/usr/bin/env bash
# Builds the test host's images from Debian packages, cached by a hash of their inputs.
#
#   images/build.sh TARGET...      build what is missing; print "TARGET=DIR" per target on stdout
#   images/build.sh all            every target (feature-kernel takes ~16 min of 2 cores when cold)
#   images/build.sh --dir TARGET...  print where TARGET's current build is (or would be); build nothing
#
# Targets and what their directory holds:
#   stock-kernel    vmlinuz, config, version, modules/lib/modules/VER (Debian bookworm linux-image-6.1)
#   feature-kernel  vmlinuz, config, version (Debian linux-source-6.12 + feature-kernel.config, all built in)
#   l1-initramfs    initrd.gz: busybox, the L1 agent (l1/init), the stock kernel's L1 modules
#   l2-initramfs    initrd.gz: busybox, the L2 checks (l2/init), nvme, ACPI button and evdev modules,
#                   l2/edu-test.c, l2/tty-drain.c
#   host-image      image (the docker image name): QEMU + busybox, imported from installed packages
#
# Cache: ${JVMM_IMAGE_CACHE:-$HOME/.cache/jvmm-images}/TARGET-HASH/, HASH covering the target's build
# function and helpers, its input files and the Debian package versions it uses. A directory exists only when complete
# (built under a temporary name, then renamed). Concurrent builds of one target wait on a lock.
# Logs go to stderr; stdout carries only the TARGET=DIR lines.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${JVMM_IMAGE_CACHE:-$HOME/.cache/jvmm-images}
mkdir -p "$cache/debs"

log() { echo "images[$target]: $*" >&2; }
die() { echo "images[$target]: error: $*" >&2; exit 1; }
target=main

# ---------------------------------------------------------------- Debian packages

apt_updated=
apt_update_once() {
  if [ -z "$apt_updated" ]; then
    log "apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed"
    apt_updated=1
  fi
}

# candidate_version PKG: the version apt would download (updates the lists once if it knows none).
candidate_version() {
  local v
  v=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$v" ] || [ "$v" = "(none)" ]; then
    apt_update_once
    v=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
  fi
  [ -n "$v" ] && [ "$v" != "(none)" ] || die "Debian package $1 is unknown to apt; check /etc/apt/sources.list*"
  echo "$v"
}

installed_version() {
  dpkg-query -W -f='${Version}' "$1" 2>/dev/null || die "package $1 is not installed; run images/setup-host.sh"
}

# fetch_deb PKG VERSION: path of the .deb in the cache, downloaded once.
fetch_deb() {
  local pkg=$1 ver=$2 f
  f=$(ls "$cache/debs/${pkg}_"*.deb 2>/dev/null | grep -F "_${ver//:/%3a}_" | head -n1 || true)
  if [ -z "$f" ]; then
    log "apt-get download $pkg=$ver"
    (cd "$cache/debs" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$ver" >&2) ||
      { apt_update_once; (cd "$cache/debs" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$ver" >&2); } ||
      die "could not download $pkg=$ver"
    f=$(ls "$cache/debs/${pkg}_"*.deb | grep -F "_${ver//:/%3a}_" | head -n1)
  fi
  echo "$f"
}

stock_kernel_pkg() {
  if [ -n "${JVMM_STOCK_KERNEL_PKG:-}" ]; then echo "$JVMM_STOCK_KERNEL_PKG"; return; fi
  local p
  p=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
  if [ -z "$p" ]; then
    apt_update_once
    p=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
  fi
  [ -n "$p" ] || die "cannot tell which linux-image-6.1 package linux-image-amd64 points to"
  echo "$p"
}

# ---------------------------------------------------------------- caching

# cache_dir TARGET: where the target's current build lives (or will).
cache_dir() {
  local t=$1 inputs hash
  inputs=$("inputs_${t//-/_}")
  # The hash covers the target's build function and the helpers it calls (not the rest of this
  # script, so that editing one target does not throw away a 16-minute kernel), plus its inputs.
  local helpers="helpers_${t//-/_}[@]"
  hash=$( { declare -f "build_${t//-/_}" ${!helpers}; echo "$inputs"; } | sha256sum | cut -c1-16)
  echo "$cache/$t-$hash"
}

# cached TARGET: prints TARGET=DIR, building the target when its directory is missing.
cached() {
  local t=$1 inputs dir tmp
  target=$t
  inputs=$("inputs_${t//-/_}")
  dir=$(cache_dir "$t")
  local hash=${dir##*-}
  if [ ! -d "$dir" ]; then
    exec {lock}>"$cache/.$t.lock"
    flock "$lock"
    if [ ! -d "$dir" ]; then
      tmp="$cache/.tmp-$t-$hash-$$"
      rm -rf "$tmp"; mkdir -p "$tmp"
      log "building into $dir"
      local start=$SECONDS
      echo "$inputs" > "$tmp/inputs.txt"
      "build_${t//-/_}" "$tmp"
      mv "$tmp" "$dir"
      log "built in $((SECONDS - start)) s"
      prune "$t" "$dir"
    fi
    flock -u "$lock"
  fi
  "check_${t//-/_}" "$dir"
  touch "$dir" # in use: prune keeps it for a day
  target=main
  echo "$t=$dir"
}

# prune TARGET KEEP: removes the target's other builds, and their docker images, once nothing has built
# or used them for a day: another checkout (a branch, a worktree) may still boot them.
prune() {
  local old
  for old in "$cache/$1-"*; do
    [ "$old" = "$2" ] || [ ! -d "$old" ] && continue
    [ -n "$(find "$old" -maxdepth 0 -mmin +1440)" ] || continue
    log "removing the superseded $old"
    if [ "$1" = host-image ]; then docker rmi -f "$(host_image_name "$old")" >/dev/null 2>&1 || true; fi
    rm -rf "$old"
  done
}

dir_of() { cached "$1" | sed 's/^[^=]*=//'; }

# ---------------------------------------------------------------- stock-kernel

helpers_stock_kernel=()
inputs_stock_kernel() {
  local p; p=$(stock_kernel_pkg)
  echo "$p=$(candidate_version "$p")"
}

build_stock_kernel() {
  local out=$1 p v deb kver
  p=$(stock_kernel_pkg); v=$(candidate_version "$p")
  deb=$(fetch_deb "$p" "$v")
  mkdir -p "$out/x"
  dpkg-deb -x "$deb" "$out/x"
  kver=$(ls "$out/x/lib/modules")
  [ -d "$out/x/lib/modules/$kver/kernel" ] || die "$deb holds no modules tree"
  cp "$out/x/boot/vmlinuz-$kver" "$out/vmlinuz"
  cp "$out/x/boot/config-$kver" "$out/config"
  echo "$kver" > "$out/version"
  mkdir -p "$out/modules/lib/modules"
  mv "$out/x/lib/modules/$kver" "$out/modules/lib/modules/"
  rm -rf "$out/x"
  # Debian ships no modules.dep (postinst makes it); busybox modprobe in the initramfs reads it.
  depmod -b "$out/modules" "$kver"
}

check_stock_kernel() {
  [ -s "$1/vmlinuz" ] && [ -s "$1/modules/lib/modules/$(cat "$1/version")/modules.dep" ] ||
    die "$1 is incomplete; delete it and build again"
}

# ---------------------------------------------------------------- feature-kernel

helpers_feature_kernel=()
inputs_feature_kernel() {
  echo "linux-source-6.12=$(candidate_version linux-source-6.12)"
  cat "$here/feature-kernel.config"
}

build_feature_kernel() {
  local out=$1 v deb src jobs
  v=$(candidate_version linux-source-6.12)
  deb=$(fetch_deb linux-source-6.12 "$v")
  mkdir -p "$out/x"
  dpkg-deb -x "$deb" "$out/x"
  log "unpacking the kernel source"
  tar -C "$out" -xf "$out/x/usr/src/linux-source-6.12.tar.xz"
  rm -rf "$out/x"
  src="$out/linux-source-6.12"
  (cd "$src" && make -s defconfig >&2 &&
    scripts/kconfig/merge_config.sh -m .config "$here/feature-kernel.config" >&2 &&
    make -s olddefconfig >&2) || die "kernel configuration failed"
  # Every option of the fragment must have survived olddefconfig.
  local line key val missing=()
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    key=${line%%=*}; val=${line#*=}
    if [ "$val" = n ]; then
      grep -qx "$key=.*" "$src/.config" && missing+=("$line")
    else
      grep -qxF "$line" "$src/.config" || missing+=("$line")
    fi
  done < "$here/feature-kernel.config"
  [ ${#missing[@]} -eq 0 ] || die "Kconfig dropped: ${missing[*]} (a dependency of theirs is off)"
  jobs=$(( $(nproc) + 1 ))
  log "make -j$jobs bzImage (nice 10; ~16 min on 2 cores)"
  (cd "$src" && nice -n 10 make -s -j"$jobs" bzImage >&2) || die "kernel build failed"
  cp "$src/arch/x86/boot/bzImage" "$out/vmlinuz"
  cp "$src/.config" "$out/config"
  (cd "$src" && make -s kernelrelease) > "$out/version"
  rm -rf "$src"
}

check_feature_kernel() {
  [ -s "$1/vmlinuz" ] || die "$1 is incomplete; delete it and build again"
}

# ---------------------------------------------------------------- initramfs helpers

# add_modules STOCKDIR ROOT MODULE...: copies the modules and everything modules.dep says they need.
add_modules() {
  local kdir=$1 root=$2; shift 2
  local kver mroot dep want=() seen=() m f line
  kver=$(cat "$kdir/version")
  mroot="$kdir/modules/lib/modules/$kver"
  dep="$mroot/modules.dep"
  for m in "$@"; do
    f=$(awk -F: -v m="$m" '{ n = $1; sub(/.*\//, "", n); sub(/\.ko(\..*)?$/, "", n); gsub(/-/, "_", n);
                               mm = m; gsub(/-/, "_", mm); if (n == mm) { print $0; exit } }' "$dep")
    if [ -z "$f" ]; then
      grep -q "/$m.ko" "$mroot/modules.builtin" 2>/dev/null || die "module $m is neither in modules.dep nor built in"
      continue
    fi
    want+=("${f%%:*}")
    for d in ${f#*:}; do want+=("$d"); done
  done
  mkdir -p "$root/lib/modules/$kver"
  for f in $(printf '%s\n' "${want[@]}" | sort -u); do
    mkdir -p "$root/lib/modules/$kver/$(dirname "$f")"
    cp "$mroot/$f" "$root/lib/modules/$kver/$f"
  done
  cp "$mroot"/modules.{dep,alias,builtin,order} "$root/lib/modules/$kver/" 2>/dev/null || true
  log "modules: $(printf '%s\n' "${want[@]}" | sort -u | sed 's/.*\///' | tr '\n' ' ')"
}

# busybox_root ROOT: a root tree with static busybox and its applet links.
busybox_root() {
  local root=$1 a
  mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,mnt,root,usr/bin,usr/sbin}
  cp /bin/busybox "$root/bin/busybox"
  for a in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
  done
}

pack_initramfs() {
  local root=$1 out=$2
  (cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --reproducible) |
    gzip -9n > "$out"
}

# ---------------------------------------------------------------- l1-initramfs

l1_modules=(kvm_amd ccp vfio vfio_pci vfio_iommu_type1 virtio_pci 9p 9pnet_virtio nvme)

helpers_l1_initramfs=(add_modules busybox_root pack_initramfs)
inputs_l1_initramfs() {
  echo "busybox-static=$(installed_version busybox-static)"
  echo "stock=$(basename "$(dir_of stock-kernel)")"
  echo "modules=${l1_modules[*]}"
  cat "$here/l1/init"
}

build_l1_initramfs() {
  local out=$1 root=$1/root
  busybox_root "$root"
  add_modules "$(dir_of stock-kernel)" "$root" "${l1_modules[@]}"
  install -m 755 "$here/l1/init" "$root/init"
  pack_initramfs "$root" "$out/initrd.gz"
  rm -rf "$root"
}

check_l1_initramfs() { [ -s "$1/initrd.gz" ] || die "$1 is incomplete"; }

# ---------------------------------------------------------------- l2-initramfs

l2_modules=(nvme button evdev)

helpers_l2_initramfs=(add_modules busybox_root pack_initramfs)
inputs_l2_initramfs() {
  echo "busybox-static=$(installed_version busybox-static)"
  echo "gcc=$(installed_version gcc) libc6-dev=$(installed_version libc6-dev)"
  echo "stock=$(basename "$(dir_of stock-kernel)")"
  echo "modules=${l2_modules[*]}"
  cat "$here/l2/init" "$here/l2/edu-test.c" "$here/l2/tty-drain.c"
}

build_l2_initramfs() {
  local out=$1 root=$1/root
  busybox_root "$root"
  add_modules "$(dir_of stock-kernel)" "$root" "${l2_modules[@]}"
  install -m 755 "$here/l2/init" "$root/init"
  gcc -static -O2 -Wall -Werror -o "$root/bin/edu-test" "$here/l2/edu-test.c"
  gcc -static -O2 -Wall -Werror -o "$root/bin/tty-drain" "$here/l2/tty-drain.c"
  pack_initramfs "$root" "$out/initrd.gz"
  rm -rf "$root"
}

check_l2_initramfs() { [ -s "$1/initrd.gz" ] || die "$1 is incomplete"; }

# ---------------------------------------------------------------- host-image

# The container only runs QEMU (L1); L1 itself chroots into the host's root shared over 9p.
host_roots=(qemu-system-x86 busybox-static)

# dep_closure PKG...: installed packages reachable through Depends/Pre-Depends (first installed
# alternative of each dependency), with their versions, as "name=version" lines.
dep_closure() {
  dpkg-query -W -f='${Package}\t${db:Status-Abbrev}\t${Version}\t${Depends}, ${Pre-Depends}\n' |
    awk -F'\t' -v roots="$*" '
      $2 ~ /^ii/ { ver[$1] = $3; deps[$1] = $4 }
      END {
        n = split(roots, queue, " ")
        for (i = 1; i <= n; i++) if (!(queue[i] in ver)) { print "MISSING " queue[i]; exit 1 }
        for (i = 1; i <= n; i++) {
          p = queue[i]
          if (p in seen) continue
          seen[p] = 1
          m = split(deps[p], alts, ",")
          for (j = 1; j <= m; j++) {
            a = alts[j]; gsub(/\([^)]*\)/, "", a); gsub(/:any/, "", a); gsub(/ /, "", a)
            if (a == "") continue
            k = split(a, names, "|")
            for (l = 1; l <= k; l++) if (names[l] in ver) { queue[++n] = names[l]; break }
          }
        }
        for (p in seen) print p "=" ver[p]
      }' | sort || die "a package of ${*} is not installed; run images/setup-host.sh"
}

host_image_name() { echo "jvmm-testhost:$(basename "$1" | sed 's/^host-image-//')"; }

helpers_host_image=(dep_closure)
inputs_host_image() {
  dep_closure "${host_roots[@]}"
}

build_host_image() {
  local out=$1 root=$1/root p f d
  mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,tmp,proc,sys,dev,etc}
  ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
  ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  for p in $(dep_closure "${host_roots[@]}" | sed 's/=.*//'); do
    while IFS= read -r f; do
      case "$f" in /usr/share/doc/*|/usr/share/man/*|/usr/share/locale/*|/usr/share/lintian/*) continue ;; esac
      [ -d "$f" ] && [ ! -L "$f" ] && continue
      [ -e "$f" ] || [ -L "$f" ] || continue
      d=$(readlink -f "$(dirname "$f")")
      mkdir -p "$root$d"
      cp -a "$d/$(basename "$f")" "$root$d/" 2>/dev/null || true
    done < <(dpkg -L "$p")
  done
  for a in $(/bin/busybox --list); do
    [ -e "$root/usr/bin/$a" ] || [ -e "$root/usr/sbin/$a" ] || ln -s busybox "$root/usr/bin/$a"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  tar -C "$root" -czf "$out/rootfs.tar.gz" .
  rm -rf "$root"
  # check_host_image imports the tarball once the directory has its final name.
}

check_host_image() {
  local name; name=$(host_image_name "$1")
  if ! docker image inspect "$name" >/dev/null 2>&1; then
    log "re-importing $name from $1/rootfs.tar.gz"
    docker import "$1/rootfs.tar.gz" "$name" >&2 || die "docker import failed; is the engine up (images/setup-host.sh)?"
  fi
  echo "$name" > "$1/image.tmp" && mv "$1/image.tmp" "$1/image"
}

# ---------------------------------------------------------------- main

all_targets=(stock-kernel l1-initramfs l2-initramfs host-image feature-kernel)
[ $# -gt 0 ] || { sed -n '2,22p' "$0" >&2; exit 2; }
if [ "$1" = --dir ]; then
  shift
  for t in "$@"; do target=$t; echo "$t=$(cache_dir "$t")"; done
  exit 0
fi
for t in "$@"; do
  if [ "$t" = all ]; then
    for a in "${all_targets[@]}"; do cached "$a"; done
  elif printf '%s\n' "${all_targets[@]}" | grep -qx "$t"; then
    cached "$t"
  else
    target=main; die "unknown target $t (known: ${all_targets[*]} all)"
  fi
done
