#!/bin/sh
# deps.sh -- install the Debian 12 packages verdict needs, when missing.
# Run by "make test", "make check" and "make bench", so that a clean
# clone on a fresh machine gets to a green run with one command.  Also
# makes the system user verdict (systemd/verdict-user.sh).
set -eu
# chromium and python3-pil: tests/report/browser.py opens the HTML and SVG
# reports in headless Chromium and reads the pixels of its screenshot.
# postgresql: the server the tests start for the store's PostgreSQL
# backend (tests/tools/pg.sh); libpq-dev: that backend's client library.
# python3-venv, -pip, -setuptools, -wheel: the e2e test installs the
# Python client (client/python) with pip, offline, into a venv.
# librsvg2-dev, libcairo2-dev: the client draws the report's SVG plots as
# PDF and PNG in process (client/export.c; nothing but the jail execs);
# fonts-dejavu-core: the plots' font (DejaVu Sans), embedded in the PDF;
# poppler-utils: the e2e test reads those PDFs (pdfinfo, pdffonts,
# pdftoppm).
# python3-tqdm ... python3-rich: what EvalPlus's own evaluator imports
# (../shared/peers/evalplus, run beside verdict by tests/data and make
# bench when it is there).
pkgs="build-essential pkg-config libuv1-dev libmicrohttpd-dev libjansson-dev
libseccomp-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev zlib1g-dev procps
librsvg2-dev libcairo2-dev fonts-dejavu-core poppler-utils
python3 python3-numpy chromium python3-pil postgresql python3-venv python3-pip
python3-setuptools python3-wheel python3-tqdm python3-termcolor python3-fire
python3-appdirs python3-psutil python3-multipledispatch python3-wget
python3-rich"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "deps.sh: installing:$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: not root; run: sudo apt-get install$missing" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq $missing >/dev/null
fi
# The user verdictd runs as once it has started its jail broker; the
# tests start verdictd.  The same script as "make install" runs.
sh "$(dirname "$0")/../systemd/verdict-user.sh"
