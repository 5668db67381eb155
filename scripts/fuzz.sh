#!/bin/sh
# Builds the libFuzzer targets of tests/fuzz with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in ./build-fuzz (or $CERTD_FUZZ_BUILD: CI uses
# its sanitized build, which is configured with -Dfuzzing=true), makes a seed corpus (Debian's CA
# certificates in PEM and DER, keys in every encoding, configurations, the
# state files certd writes), and runs every target for FUZZ_SECONDS (default
# 30), two at a time. A crash fails it and leaves the input under
# build-fuzz/crashes/<target>/: turn it into a unit test. One result line per
# target goes to build-fuzz/results.txt, for scripts/test-summary.py.
set -eu
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
build=${CERTD_FUZZ_BUILD:-build-fuzz}
if [ ! -f $build/build.ninja ]; then
    CC=clang CXX=clang++ meson setup $build -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
        -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C $build fuzzers >/dev/null

corpus=$build/corpus
rm -rf "$corpus"
mkdir -p "$corpus/certificates" "$corpus/keys" "$corpus/pem" "$corpus/config" "$corpus/names" "$corpus/bundles" \
    "$corpus/pkcs12" "$corpus/acme"
for crt in /usr/share/ca-certificates/mozilla/*.crt; do
    name=$(basename "$crt" .crt | tr -c 'A-Za-z0-9\n' _)
    cp "$crt" "$corpus/certificates/$name.pem"
    openssl x509 -in "$crt" -outform DER -out "$corpus/certificates/$name.der" 2>/dev/null || true
done
cp "$corpus"/certificates/*.pem "$corpus/pem/"
for type in EC RSA ED25519; do
    case $type in
        EC) args="-algorithm EC -pkeyopt ec_paramgen_curve:P-256" ;;
        RSA) args="-algorithm RSA -pkeyopt rsa_keygen_bits:1024" ;;
        ED25519) args="-algorithm ED25519" ;;
    esac
    openssl genpkey $args -out "$corpus/keys/$type.pem" 2>/dev/null
    openssl pkey -in "$corpus/keys/$type.pem" -outform DER -out "$corpus/keys/$type.der"
    openssl pkey -in "$corpus/keys/$type.pem" -traditional -out "$corpus/keys/$type-traditional.pem" 2>/dev/null || true
    openssl pkcs8 -topk8 -in "$corpus/keys/$type.pem" -passout pass:secret -out "$corpus/keys/$type-encrypted.pem"
done
cp "$corpus"/keys/*.pem "$corpus/pem/"
printf '[Access]\nAdminGroup=root\n[ApplianceCA]\nCommonName=Probe CA\nKeyType=ec-p384\n[https]\nDirectory=/srv/certd/https\nKeyGroup=\nReloadUnit=nginx.service\n[Expiry]\nWarnDays=30 7 1\nRenewDays=30\n' > "$corpus/config/full.conf"
printf '# comment\n[postgresql]\nKeyGroup=root\n' > "$corpus/config/small.conf"
printf 'probe.example.com' > "$corpus/names/host"
printf '*.apps.example.com' > "$corpus/names/wildcard"
printf '2001:db8::1' > "$corpus/names/ipv6"
printf '30 7 1' > "$corpus/names/days"
printf '1a2b3c4d.0' > "$corpus/names/hashed"
# Bundles for certctl import-ca --all: a PEM sequence, PKCS#7 in PEM and DER.
set -- $(ls "$corpus"/certificates/*.pem | head -3)
cat "$@" > "$corpus/bundles/sequence.pem"
openssl crl2pkcs7 -nocrl -certfile "$corpus/bundles/sequence.pem" -out "$corpus/bundles/bundle.p7b"
openssl crl2pkcs7 -nocrl -certfile "$corpus/bundles/sequence.pem" -outform DER -out "$corpus/bundles/bundle.p7b.der"
cp "$1" "$corpus/bundles/"
# PKCS#12 files as OpenSSL 3 and (-legacy: RC2-40, 3DES) Windows make them.
openssl req -x509 -new -key "$corpus/keys/EC.pem" -subj /CN=fuzz.example.com -days 30 -out "$corpus/pkcs12/leaf.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$corpus/keys/EC.pem" -in "$corpus/pkcs12/leaf.pem" -passout pass:secret -out "$corpus/pkcs12/modern.p12"
openssl pkcs12 -export -legacy -inkey "$corpus/keys/EC.pem" -in "$corpus/pkcs12/leaf.pem" -passout pass:secret -out "$corpus/pkcs12/legacy.p12"
openssl pkcs12 -export -nokeys -in "$corpus/pkcs12/leaf.pem" -passout pass:secret -out "$corpus/pkcs12/certificate-only.p12"
rm "$corpus/pkcs12/leaf.pem"
# What ACME servers send (RFC 8555 §7.1.1, §6.7; RFC 9773 §4.2).
printf '{"newNonce":"https://ca.example/nonce","newAccount":"https://ca.example/acct","newOrder":"https://ca.example/order","renewalInfo":"https://ca.example/ari","meta":{"termsOfService":"https://ca.example/tos","externalAccountRequired":true}}' > "$corpus/acme/directory.json"
printf '{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many","status":429}' > "$corpus/acme/problem.json"
printf '{"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00.5+01:00"}}' > "$corpus/acme/ari.json"
printf 'aYhba4dGQEHhs3uEe6CuLN4ByNQ' > "$corpus/acme/base64url"
CERTD_FUZZ_WRITE_SEEDS="$corpus/state_files" $build/tests/fuzz/fuzz-state-files >/dev/null 2>&1

results=$build/results.txt
: > "$results"

run() {
    target=$1 seeds=$2
    work=$build/runs/$target
    mkdir -p "$work/corpus" "$build/crashes/$target"
    if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        $build/tests/fuzz/fuzz-$target -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$build/crashes/$target/" "$work/corpus" "$corpus/$seeds" >"$work/log" 2>&1; then
        echo "fuzz $target: $(grep -o 'Done [0-9]* runs' "$work/log" | tr -dc 0-9) inputs in ${seconds}s, no crash"
        echo "PASS fuzz-$target" >> "$results"
    else
        echo "fuzz $target: FAILED; $(ls "$build/crashes/$target" | head -3)"
        tail -40 "$work/log"
        echo "FAIL fuzz-$target" >> "$results"
        return 1
    fi
}

status=0
pids=""
for pair in certificate-input:certificates private-key:keys pem:pem config:config state-files:state_files names:names bundle:bundles pkcs12:pkcs12 acme:acme; do
    target=${pair%%:*} seeds=${pair#*:}
    run "$target" "$seeds" > "$build/run-$target.out" 2>&1 &
    pids="$pids $!:$target"
    if [ "$(echo $pids | wc -w)" -ge 2 ]; then
        for entry in $pids; do
            wait "${entry%%:*}" || status=1
            cat "$build/run-${entry#*:}.out"
        done
        pids=""
    fi
done
for entry in $pids; do
    wait "${entry%%:*}" || status=1
    cat "$build/run-${entry#*:}.out"
done
exit $status
