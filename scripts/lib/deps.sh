# Shared by scripts/run, scripts/test and bench/run: install what Tessera needs when it is missing.
# Debian 12 / Ubuntu: packages come from apt; running as root or with sudo is needed only when something
# has to be installed.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    say "need root to run: $*  (run this script as root, or install sudo)"
    exit 1
  fi
}

_apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing: $* — this is not a Debian/Ubuntu machine; install the equivalent packages by hand"
    exit 1
  fi
  if [ "$_apt_updated" = 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _apt_updated=1
  fi
  say "installing: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    say "the .NET 10 SDK is required: https://dot.net (dotnet was not found on PATH)"
    exit 1
  fi
}

# GDAL, the raster I/O library Tessera calls (gdal-bin pulls in the libgdal of the distribution).
ensure_gdal() {
  if ldconfig -p 2>/dev/null | grep -q 'libgdal\.so'; then
    return
  fi
  say "GDAL not found: installing it"
  apt_install gdal-bin
}

# GDAL's Python bindings, numpy and rasterio: the independent reference the tests compare results with (and
# rasterio, the reader many users open results with).
ensure_python_gdal() {
  if /usr/bin/python3 -c 'from osgeo import gdal; import numpy; import rasterio' >/dev/null 2>&1; then
    return
  fi
  say "Python GDAL bindings / numpy / rasterio not found: installing them (the tests' independent reference)"
  apt_install python3-gdal python3-numpy python3-rasterio
}

# PostgreSQL server binaries: the tests start a throw-away server of their own on a free loopback port.
ensure_postgres() {
  if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || [ -n "${TESSERA_TEST_POSTGRES:-}" ]; then
    return
  fi
  say "PostgreSQL not found: installing it (the task store tests run against a real server)"
  apt_install postgresql
}

# Chromium: the web page's tests drive a real browser (Debian's chromium, through Playwright; no download).
ensure_chromium() {
  if [ -x /usr/bin/chromium ] || [ -n "${TESSERA_TEST_CHROMIUM:-}" ]; then
    return
  fi
  say "Chromium not found: installing it (the web page is tested in a real browser)"
  apt_install chromium
}

# Orfeo ToolBox's command-line applications: pan-sharpening quality is compared with otbcli_Pansharpening.
ensure_otb() {
  if command -v otbcli_Pansharpening >/dev/null 2>&1 && command -v otbcli_Superimpose >/dev/null 2>&1; then
    return
  fi
  say "Orfeo ToolBox not found: installing otb-bin (pan-sharpening quality is compared with it)"
  apt_install otb-bin
}

# libfaketime: the fault tests run a worker whose clock is 90 s off (faketime).
ensure_faketime() {
  if command -v faketime >/dev/null 2>&1; then
    return
  fi
  say "faketime not found: installing it (the fault tests run workers with a wrong clock)"
  apt_install faketime
}

# OpenSSH's server and client: publishing is tested against a real sshd (run as the current user on a loopback port),
# through the sftp client the service runs. As root, sshd wants its privilege separation folder.
ensure_sshd() {
  if [ ! -x /usr/sbin/sshd ] || ! command -v sftp >/dev/null 2>&1 || ! command -v ssh-keygen >/dev/null 2>&1; then
    say "OpenSSH not found: installing openssh-server (publishing is tested against a real SSH server)"
    apt_install openssh-server openssh-client
    # Installed for the tests, which start their own: the machine's SSH service is not left running on port 22.
    if [ -d /run/systemd/system ]; then
      as_root systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
    fi
  fi
  if [ "$(id -u)" = 0 ]; then
    mkdir -p /run/sshd
  fi
}

# Node.js and npm: external clients and validators the tests run (the STAC validator; later the openEO client).
ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    return
  fi
  say "Node.js not found: installing nodejs and npm (the tests validate STAC documents with stac-node-validator)"
  apt_install nodejs npm
}

# The npm packages of a folder with a package-lock.json, installed when its node_modules is missing.
ensure_npm_packages() {
  if [ -d "$1/node_modules" ]; then
    return
  fi
  say "installing the npm packages of $1"
  npm ci --prefix "$1" --no-audit --no-fund >/dev/null
}

# The shared sample data: TESSERA_SAMPLE_DATA, or ../shared/data beside the repository.
sample_data_dir() {
  local root="$1"
  if [ -n "${TESSERA_SAMPLE_DATA:-}" ]; then echo "$TESSERA_SAMPLE_DATA"; return; fi
  if [ -d "$root/../shared/data" ]; then (cd "$root/../shared/data" && pwd); return; fi
  echo ""
}

# A C toolchain and zlib's development files: .NET links the commands compiled ahead of time with them.
ensure_native_toolchain() {
  if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
    say "no C compiler found: installing clang (it links the commands compiled ahead of time)"
    apt_install clang
  fi
  if command -v dpkg >/dev/null 2>&1 && ! dpkg -s zlib1g-dev >/dev/null 2>&1; then
    say "zlib's development files not found: installing zlib1g-dev (linked into the commands compiled ahead of time)"
    apt_install zlib1g-dev
  fi
}

# Publishes the tessera command as it is installed and as the benchmarks measure it into the folder $1: the
# launcher `tessera`, the service's program `tessera-host` (Release, ReadyToRun, framework-dependent) and, in
# native/, the commands on files compiled ahead of time (Native AOT), which the launcher runs for those commands.
publish_tessera_to() {
  local rid
  case "$(uname -m)" in
    aarch64|arm64) rid=linux-arm64 ;;
    *) rid=linux-x64 ;;
  esac
  ensure_native_toolchain
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish "$root/src/Tessera.Cli" -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -o "$1" -nologo -v quiet -clp:ErrorsOnly 2>&1 | grep -v NETSDK1206 || true
  [ -x "$1/tessera" ] || { echo "publishing tessera into $1 failed" >&2; exit 1; }
  rm -rf "$1/native"
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish "$root/src/Tessera.Cli.Native" -c Release -r "$rid" \
    -o "$1/native" -nologo -v quiet -clp:ErrorsOnly || true
  [ -x "$1/native/tessera" ] || { echo "publishing the commands compiled ahead of time into $1/native failed" >&2; exit 1; }
}
