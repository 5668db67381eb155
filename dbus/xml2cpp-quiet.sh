#!/bin/sh
# Runs sdbus-c++-xml2cpp, showing its chatter only when it fails: it warns
# about every doc annotation, which it does not use but we keep as the API
# reference.
out=$("$@" 2>&1) || { printf '%s\n' "$out" >&2; exit 1; }
