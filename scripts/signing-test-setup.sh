#!/bin/sh
# Installs what the EvidenceSigning and EvidenceArchive tests use as independent verifiers:
# the openssl and sqlite3 command-line tools (Debian) and Python's rfc8785, securesystemslib
# and cryptography (PyPI). Safe to run more than once.
set -eu
if ! command -v openssl >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q openssl sqlite3
fi
python3 -m pip install --quiet --disable-pip-version-check \
    'rfc8785==0.1.4' 'securesystemslib==1.6.0' 'cryptography'
python3 -c 'import rfc8785, securesystemslib, cryptography' && echo "signing test peers ready"
