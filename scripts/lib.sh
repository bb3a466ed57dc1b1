# shellcheck shell=bash
# Shared by scripts/setup, scripts/test and scripts/serve: find Odoo 19 and
# PostgreSQL, never download or build them.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_HOME=${ODOO_HOME:-/opt/odoo}
SCRIPT_NAME=${SCRIPT_NAME:-$(basename "$0")}

die() {
    echo "scripts/$SCRIPT_NAME: $*" >&2
    exit 2
}

log() {
    echo "==> $*"
}

# find_odoo: set ODOO_PYTHON and ODOO_ADDONS_PATH, or exit with one line.
find_odoo() {
    [ -f "$ODOO_HOME/odoo-bin" ] ||
        die "no Odoo 19 at $ODOO_HOME (set ODOO_HOME to a directory holding odoo-bin)"
    local candidates=()
    if [ -n "${ODOO_PYTHON:-}" ]; then
        candidates=("$ODOO_PYTHON")
    else
        candidates=("$ODOO_HOME/.venv/bin/python")
        local py
        py=$(command -v python3 || true)
        [ -n "$py" ] && candidates+=("$py")
    fi
    local py found=""
    for py in "${candidates[@]}"; do
        [ -x "$py" ] || continue
        if (cd "$ODOO_HOME" && PYTHONPATH="$ODOO_HOME" "$py" -c 'import odoo.release' >/dev/null 2>&1); then
            found=$py
            break
        fi
    done
    [ -n "$found" ] ||
        die "no Python that imports odoo from $ODOO_HOME (tried: ${candidates[*]}; set ODOO_PYTHON)"
    ODOO_PYTHON=$found
    local series
    series=$(cd "$ODOO_HOME" && PYTHONPATH="$ODOO_HOME" "$ODOO_PYTHON" -c 'import odoo.release as r; print(r.series)')
    [ "$series" = "19.0" ] || die "Odoo at $ODOO_HOME is $series, not 19.0"
    local addons="$ODOO_HOME/addons"
    [ -d "$ODOO_HOME/odoo/addons" ] && addons="$addons,$ODOO_HOME/odoo/addons"
    ODOO_ADDONS_PATH="$addons,$REPO_ROOT"
    export ODOO_PYTHON ODOO_ADDONS_PATH
}

odoo_bin() {
    (cd "$ODOO_HOME" && "$ODOO_PYTHON" "$ODOO_HOME/odoo-bin" --addons-path="$ODOO_ADDONS_PATH" "$@")
}

as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        sudo -u postgres "$@"
    fi
}

# ensure_postgres: a local PostgreSQL answers and the current user has a role.
ensure_postgres() {
    if ! pg_isready -q 2>/dev/null; then
        if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
            if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
                log "no PostgreSQL server here: installing Debian's postgresql"
                { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; } ||
                    die "PostgreSQL is not installed and could not be installed"
            else
                die "no PostgreSQL server found (install PostgreSQL 13+ or start it)"
            fi
        fi
        local version cluster
        while read -r version cluster _; do
            pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true
        done < <(pg_lsclusters -h)
        for _ in $(seq 1 30); do
            pg_isready -q && break
            sleep 1
        done
        pg_isready -q || die "PostgreSQL does not answer on its local socket"
    fi
    local me
    me=$(id -un)
    [ "$me" = postgres ] && die "Odoo refuses the database user postgres: run as another user"
    if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        as_postgres psql -q -d postgres -c "CREATE ROLE \"$me\" SUPERUSER LOGIN" >/dev/null 2>&1 || true
        psql -d postgres -tAc 'select 1' >/dev/null 2>&1 ||
            die "cannot connect to PostgreSQL as role $me"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# find_chromium: print the browser of the tours and the browser walk, the first of
# the names Odoo's test framework looks up in PATH (odoo.tests.common), or fail.
find_chromium() {
    local bin
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$bin" 2>/dev/null && return 0
    done
    return 1
}
